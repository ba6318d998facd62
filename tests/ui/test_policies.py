#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A repository's lifecycle policy and permissions, against the sandbox through AT-SPI:
a two-rule lifecycle policy is built in the form (a priority conflict is explained on its
field), its preview lists exactly the images the sandbox's own evaluation expires, it is
saved and read back with botocore; broken JSON shows its line and column and is never
sent; the policy is deleted. A pull-only template for another account becomes the
repository policy (the first attempt is refused by the service and the draft kept), a bad
principal is caught before sending, and the policy is deleted."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import BUTTON, click, find, norm, select_row, wait_for, wait_showing  # noqa: E402

wharfui.require_session()

REGION = 'us-east-1'
REPOSITORY = 'nginx-custom'   # demo seed: four images, no lifecycle or repository policy
OTHER_ACCOUNT = '444455556666'
PULL_ACTIONS = sorted(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
                       'ecr:BatchCheckLayerAvailability'])


def log(*args):
    print('#', *args, flush=True)


def named(root, prefix, roles=None, timeout=10.0):
    """A descendant whose accessible name starts with `prefix` (GTK 4.8 appends the row
    title to a row's control: "Rule 1: Priority Priority")."""
    roles = (roles,) if isinstance(roles, str) else roles

    def pred(n):
        return norm(n.name).startswith(prefix) and (roles is None or n.roleName in roles)
    return wait_for(lambda: root.findChild(pred, retry=False, requireResult=False), timeout,
                    f'{prefix!r}')


def label_with(root, text, timeout=10.0):
    """A label showing `text` (a substring), on screen."""
    def pred(n):
        return n.roleName == 'label' and text in (n.name or '')

    def look():
        # GTK 4.8 does not keep "showing" up to date inside stacks: prefer a showing one
        found = root.findChildren(pred, recursive=True)
        return next((n for n in found if n.showing), found[0] if found else None)
    return wait_for(look, timeout, f'a label with {text!r}')


def no_label_with(root, text):
    def pred(n):
        return n.roleName == 'label' and text in (n.name or '')
    return root.findChild(pred, retry=False, requireResult=False) is None


def dialog(app, heading, timeout=10.0):
    def look():
        for child in app.app.children:
            if child.roleName in ('dialog', 'alert', 'frame', 'window') and \
               child.findChild(lambda n: n.roleName == 'label' and n.name == heading,
                               retry=False, requireResult=False):
                return child
        return None
    return wait_for(look, timeout, f'the dialog {heading!r}')


def toolbar(win, switcher_name):
    """The editor's toolbar: the parent of its Form/JSON switcher."""
    return wait_showing(win, switcher_name, 'page tab list').parent


def set_spin(node, value):
    node.value = value
    wait_for(lambda: node.value == value, 5, f'{node.name} = {value}')


def expected_expiring(ecr, text):
    """The digests the sandbox's own lifecycle evaluation expires for `text`."""
    ecr.start_lifecycle_policy_preview(repositoryName=REPOSITORY, lifecyclePolicyText=text)
    digests = set()
    kwargs = {'repositoryName': REPOSITORY}
    while True:
        page = ecr.get_lifecycle_policy_preview(**kwargs)
        assert page['status'] == 'COMPLETE', page['status']
        digests |= {r['imageDigest'] for r in page.get('previewResults', [])}
        if not page.get('nextToken'):
            return digests
        kwargs['nextToken'] = page['nextToken']


def lifecycle(app, win, ecr):
    click(wait_showing(win, 'Lifecycle', 'page tab'))
    bar = toolbar(win, 'Edit Lifecycle Policy As')
    wait_for(lambda: label_with(bar, 'No lifecycle policy'), 20, 'the empty lifecycle editor')
    wait_showing(win, 'No Rules Yet')
    app.screenshot('lifecycle-empty', win)

    # --- Two rules in the form ---
    click(find(win, 'Add Rule', BUTTON))
    set_spin(named(win, 'Rule 1: Days Since Push', 'spin button'), 7)
    named(win, 'Rule 1: Description', 'text').text = 'Drop untagged images after a week'
    click(find(win, 'Add Rule', BUTTON))
    click(named(win, 'Rule 2: Any', BUTTON))
    click(named(win, 'Rule 2: Beyond a Count', BUTTON))
    set_spin(named(win, 'Rule 2: Images to Keep', 'spin button'), 2)
    named(win, 'Rule 2: Description', 'text').text = 'Keep the two newest of the rest'

    # A conflict is explained on the field, and resolved
    # Problems are explained on their fields, and clear when resolved
    first = named(win, 'Rule 1: Priority', 'spin button')
    second = named(win, 'Rule 2: Priority', 'spin button')
    set_spin(second, 1)
    label_with(win, 'Priority 1 is also used by rule 2; each rule needs its own.')
    label_with(win, 'Priority 1 is also used by rule 1; each rule needs its own.')
    set_spin(first, 3)
    label_with(win, 'A rule for any image must come last: give it the highest priority number.')
    label_with(win, 'Runs 2 of 2 · Untagged images: expire after 7 days')
    app.screenshot('lifecycle-problems', win)
    set_spin(first, 1)
    set_spin(second, 2)
    wait_for(lambda: no_label_with(win, 'is also used by rule') and
             no_label_with(win, 'must come last: give it'), 10, 'the problems to clear')
    log('two rules built in the form; the priority conflict was shown on its field')

    # The JSON tab holds the same policy
    click(find(bar, 'JSON', 'page tab'))
    view = named(win, 'Lifecycle Policy JSON', 'text')
    draft = json.loads(view.text)
    rules = sorted(draft['rules'], key=lambda r: r['rulePriority'])
    assert [r['selection']['tagStatus'] for r in rules] == ['untagged', 'any'], rules
    assert rules[0]['selection'] == {'tagStatus': 'untagged', 'countType': 'sinceImagePushed',
                                     'countUnit': 'days', 'countNumber': 7}, rules[0]
    assert rules[1]['selection'] == {'tagStatus': 'any', 'countType': 'imageCountMoreThan',
                                     'countNumber': 2}, rules[1]
    assert rules[0]['description'] == 'Drop untagged images after a week', rules[0]
    text = view.text
    log('the JSON tab follows the form')

    # --- Preview: exactly what the sandbox's evaluation expires ---
    expected = expected_expiring(ecr, text)
    images = {i['imageDigest'] for i in ecr.describe_images(repositoryName=REPOSITORY)['imageDetails']}
    assert 0 < len(expected) < len(images), (expected, images)
    click(find(bar, 'Preview', BUTTON))
    results = named(win, 'Images That Would Expire', 'list')

    def shown_digests():
        found = results.findChildren(lambda n: n.roleName == 'label' and
                                     (n.name or '').startswith('sha256:'), recursive=True)
        return {n.name.split(' ')[0] for n in found}
    short = {d[:len('sha256:') + 12] for d in expected}
    wait_for(lambda: shown_digests() == short, 30, f'the preview to list {sorted(short)}')
    n = len(expected)
    label_with(win, f'{n} image would expire' if n == 1 else f'{n} images would expire')
    label_with(results, 'Rule 1 (priority 1): Drop untagged images after a week')
    app.screenshot('lifecycle-preview', win)
    log('preview lists', n, 'images, the same as the sandbox evaluation')

    # --- Save, read back ---
    click(named(bar, 'Save Lifecycle Policy', BUTTON))
    label_with(bar, 'Saved in ECR', 20)
    stored = ecr.get_lifecycle_policy(repositoryName=REPOSITORY)['lifecyclePolicyText']
    assert json.loads(stored) == json.loads(text), stored
    log('saved; get-lifecycle-policy returns the draft')

    # --- Broken JSON: its position, and nothing sent ---
    lines = text.split('\n')
    line_no = next(i for i, line in enumerate(lines) if '"rules"' in line) + 1
    broken = text.replace('"rules" : [', '"rules" : [,', 1)
    view.text = broken
    error = label_with(win, f'Line {line_no}, column ')
    log('broken JSON shows', repr(error.name))
    app.screenshot('lifecycle-json-error', win)
    click(named(bar, 'Save Lifecycle Policy', BUTTON))
    label_with(win, 'The JSON has a mistake, so nothing was sent')
    stored = ecr.get_lifecycle_policy(repositoryName=REPOSITORY)['lifecyclePolicyText']
    assert json.loads(stored) == json.loads(text), 'broken JSON reached the service'
    view.text = text
    label_with(bar, 'Saved in ECR')
    click(find(win, 'Dismiss Message', BUTTON))
    click(find(bar, 'Form', 'page tab'))

    # --- Delete, after confirming ---
    click(find(bar, 'Delete Lifecycle Policy', BUTTON))
    confirm = dialog(app, 'Delete the Lifecycle Policy?')
    app.screenshot('lifecycle-delete-confirm', confirm)
    click(find(confirm, 'Delete', BUTTON))
    label_with(bar, 'Draft, not saved yet', 20)
    try:
        ecr.get_lifecycle_policy(repositoryName=REPOSITORY)
        raise AssertionError('the lifecycle policy is still there')
    except ecr.exceptions.LifecyclePolicyNotFoundException:
        pass
    log('deleted after confirmation; the draft stays in the editor')


def permissions(app, win, ecr):
    click(wait_showing(win, 'Permissions', 'page tab'))
    bar = toolbar(win, 'Edit Repository Policy As')
    wait_for(lambda: label_with(bar, 'No repository policy'), 20, 'the empty permissions editor')

    # --- Template: pull-only for another account ---
    click(find(win, 'Pull Access for Another Account…', BUTTON))
    ask = dialog(app, 'Pull Access for Another Account')
    entry = find(ask, 'Account ID', 'text')
    add = find(ask, 'Add Statement', BUTTON)
    entry.text = '4444'
    label_with(ask, 'Enter an AWS account ID: 12 digits.')
    assert not add.sensitive, 'a short account id was accepted'
    entry.text = OTHER_ACCOUNT
    wait_for(lambda: add.sensitive, 10, 'Add Statement to become available')
    app.screenshot('permissions-template', ask)
    click(add)
    principals = named(win, 'Statement 1: Principals', 'text')
    summary = f'Allow pull for arn:aws:iam::{OTHER_ACCOUNT}:root'
    label_with(win, summary)
    app.screenshot('permissions-form', win)

    # The service refuses the first attempt (a fault): its message, the draft kept
    click(named(bar, 'Save Repository Policy', BUTTON))
    label_with(win, 'ECR refused the policy; your draft is kept.', 20)
    label_with(win, summary)
    app.screenshot('permissions-refused', win)
    click(named(bar, 'Save Repository Policy', BUTTON))
    label_with(bar, 'Saved in ECR', 20)
    policy = json.loads(ecr.get_repository_policy(repositoryName=REPOSITORY)['policyText'])
    statement = policy['Statement'][0]
    assert statement['Effect'] == 'Allow', statement
    assert statement['Principal'] == {'AWS': f'arn:aws:iam::{OTHER_ACCOUNT}:root'}, statement
    assert sorted(statement['Action']) == PULL_ACTIONS, statement
    log('pull template for', OTHER_ACCOUNT, 'saved; get-repository-policy returns it')

    # --- Validation before sending ---
    principals.text = '12345'
    label_with(win, '“12345” is not an account ID: an account ID has 12 digits.')
    click(named(bar, 'Save Repository Policy', BUTTON))
    label_with(win, 'ECR would refuse this policy')
    app.screenshot('permissions-problem', win)
    stored = json.loads(ecr.get_repository_policy(repositoryName=REPOSITORY)['policyText'])
    assert stored == policy, 'an invalid principal reached the service'
    principals.text = '*'
    label_with(win, '“*” allows everyone')
    principals.text = f'arn:aws:iam::{OTHER_ACCOUNT}:root'
    label_with(bar, 'Saved in ECR')
    log('a bad principal is caught on its field; "*" is warned about')

    # --- Delete, after confirming ---
    click(find(bar, 'Delete Repository Policy', BUTTON))
    confirm = dialog(app, 'Delete the Repository Policy?')
    click(find(confirm, 'Delete', BUTTON))
    label_with(bar, 'Draft, not saved yet', 20)
    try:
        ecr.get_repository_policy(repositoryName=REPOSITORY)
        raise AssertionError('the repository policy is still there')
    except ecr.exceptions.RepositoryPolicyNotFoundException:
        pass
    log('repository policy deleted after confirmation')


def existing(app, win):
    """Policies that the seed already holds load into the forms."""
    lst = find(win, 'Repositories', 'list')
    select_row(lst, 'team-b/payments', 20)
    bar = toolbar(win, 'Edit Repository Policy As')
    label_with(bar, 'Saved in ECR', 20)
    label_with(win, 'Allow pull for arn:aws:iam::444455556666:root')
    app.screenshot('permissions-existing', win)
    select_row(lst, 'team-a/api', 20)
    click(wait_showing(win, 'Lifecycle', 'page tab'))
    bar = toolbar(win, 'Edit Lifecycle Policy As')
    label_with(bar, 'Saved in ECR', 20)
    label_with(win, 'Runs 1 of 2 · Tags starting with rc-: keep the newest 5')
    app.screenshot('lifecycle-existing', win)
    log('seeded policies load into the forms')


sandbox = wharfui.Sandbox(seed='demo', faults=['access-denied:SetRepositoryPolicy:1'])
try:
    ecr = sandbox.ecr(REGION)
    settings = wharfui.settings_env({'window-width': 1280, 'window-height': 800})
    app = wharfui.App(extra_env=dict(sandbox.env(REGION), **settings))
    try:
        win = app.window()
        select_row(find(win, 'Repositories', 'list'), REPOSITORY, 20)
        try:
            lifecycle(app, win, ecr)
            permissions(app, win, ecr)
            existing(app, win)
        except Exception:
            # The accessibility tree at the failure, for whoever reads the log.
            path = os.path.join(os.environ.get('WHARF_BUILD_ROOT', '.'), 'test-policies-tree.txt')
            with open(path, 'w') as f:
                wharfui.dump(win, out=f)
            print('# accessibility tree written to', path)
            app.screenshot('policies-failure', win)
            raise
    finally:
        app.quit()
finally:
    sandbox.stop()
