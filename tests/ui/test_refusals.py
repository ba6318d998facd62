#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Refusals explained (issue #23): the real app against the sandbox's refusal faults.

The images view of a repository meets each denial shape in turn (the sandbox answers
DescribeImages with the next fault at each Try Again): the explanation shows with the right
fix button; the policy an administrator can grant (read from the policy text view through
AT-SPI) is valid JSON that allows exactly the refused action on exactly the repository's
ARN; AWS's own message is one click away in "What AWS Said"; Open Permissions opens the
repository's Permissions tab. A second run in an opt-in region the account has not enabled
shows the sidebar's explanation whose Choose Region… opens the region menu (and choosing
another region lists its repositories), and a third an expired token from the environment
(renewed where it comes from: no button) then unknown keys, whose Edit Account… opens the
dialog to enter keys. Screenshots go to
build/screenshots/refusals-*.png."""
import json
import os
import sys

import pyatspi

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, click, find, label_containing, select_row, wait_for,  # noqa: E402
                     wait_showing, window_named)

wharfui.require_session()

OP = 'DescribeImages'
ACTION = 'ecr:DescribeImages'
REPOSITORY = 'team-a/api'
ARN = f'arn:aws:ecr:us-east-1:{wharfui.PRACTICE_ACCOUNT_ID}:repository/{REPOSITORY}'

# (fault, words of the headline or body, the fix button or None, whether a policy is offered)
SHAPES = [
    ('denied-no-identity-policy', 'no policy attached', None, True),
    ('denied-old', 'not allowed to list images', None, True),
    # A Deny is not lifted by granting: no policy to copy, the details for an administrator.
    ('denied-identity-policy', 'explicit', None, False),
    ('denied-boundary', 'permissions boundary', None, True),
    ('denied-session-policy', 'session policy', None, True),
    ('denied-scp', 'service control policy', None, False),
    ('limit-images', 'images', 'Open Service Quotas', False),
    ('kms-denied', 'key', None, True),
    ('denied-repository-policy', 'repository policy', 'Open Permissions', False),
]


def problem_view(root):
    """The explanation shown in `root` (a WharfProblemView is the group "What went wrong")."""
    return wait_for(lambda: wharfui.showing(root, 'What went wrong'), 30, 'an explanation')


def texts(node):
    out = []

    def walk(n):
        try:
            # GTK 4.8 leaves a collapsed expander's child out of the tree.
            if n.roleName == 'label' and n.name:
                out.append(n.name)
            for c in n.children:
                walk(c)
        except Exception:
            pass
    walk(node)
    return '\n'.join(out)


def aws_message_one_click_away(view, message_part):
    """AWS's own words are in the expander "What AWS Said", hidden until it is opened."""
    def shown():
        # The label holds AWS's words verbatim (the page's description adds the code).
        return view.findChild(lambda n: n.roleName == 'label' and
                              message_part in (n.name or '') and not n.name.endswith(')'),
                              retry=False, requireResult=False)
    assert shown() is None, 'AWS’s message is shown before the expander is opened'
    expander = find(view, 'What AWS Said')
    wharfui.activate(expander)
    return wait_for(shown, 10, f'AWS’s message {message_part!r} after one click')


def policy_json(view):
    text_view = find(view, 'Policy to grant', 'text', timeout=10)
    return json.loads(wharfui.text_of(text_view))


def check_identity_policy(policy, what):
    statements = policy['Statement']
    assert len(statements) == 1, f'{what}: {policy}'
    s = statements[0]
    assert s['Effect'] == 'Allow', f'{what}: {s}'
    assert s['Action'] == ACTION, f'{what}: the policy allows {s["Action"]!r}, not {ACTION!r}'
    assert s['Resource'] == ARN, f'{what}: the policy names {s["Resource"]!r}, not {ARN!r}'


def images_error_page(win):
    return wait_showing(win, 'Could Not Load the Images', timeout=40)


def images_run():
    # LimitExceededException is retried as throttling (as botocore does): every attempt.
    faults = [f'{kind}:{OP}:{3 if kind.startswith("limit-") else 1}' for kind, *_ in SHAPES]
    with wharfui.Sandbox(seed='demo', faults=faults) as sandbox:
        app = wharfui.App(sandbox.env())
        try:
            win = app.window()
            lst = find(win, 'Repositories', 'list')
            wait_for(lambda: REPOSITORY in wharfui.row_names(lst), 40, 'the repositories')
            select_row(lst, REPOSITORY)
            previous = None
            for i, (kind, words, fix, has_policy) in enumerate(SHAPES):
                page = images_error_page(win)
                view = problem_view(page)
                # The next refusal replaces the one before.
                shown = wait_for(lambda: (t := texts(view)) != previous and t, 30,
                                 f'the explanation of {kind}')
                if words:
                    assert words in shown.lower(), f'{kind}: {words!r} not in {shown!r}'
                if fix:
                    find(view, fix, BUTTON)
                if not has_policy:
                    assert wharfui.showing(view, 'Copy Policy', BUTTON) is None or \
                        not wharfui.showing(view, 'Copy Policy', BUTTON).showing, \
                        f'{kind}: a policy is offered'
                if has_policy:
                    policy = policy_json(view)
                    if kind == 'kms-denied':
                        assert 'kms:Decrypt' in json.dumps(policy), f'{kind}: {policy}'
                    else:
                        check_identity_policy(policy, kind)
                    find(view, 'Copy Policy', BUTTON)
                if i == 0:
                    aws_message_one_click_away(view, 'because no identity-based policy allows')
                    app.screenshot('refusals-denied', win)
                if kind == 'kms-denied':
                    app.screenshot('refusals-kms', win)
                if kind == 'limit-images':
                    app.screenshot('refusals-quota', win)
                print(f'# {kind}: explained', flush=True)
                if fix == 'Open Permissions':
                    app.screenshot('refusals-repository-policy', win)
                    click(find(view, fix, BUTTON))
                    tab = wait_showing(win, 'Permissions', 'page tab')
                    wait_for(lambda: tab.getState().contains(pyatspi.STATE_SELECTED), 20,
                             'the Permissions tab to be chosen')
                    app.screenshot('refusals-permissions', win)
                    print('# Open Permissions opened the Permissions tab', flush=True)
                    break
                previous = texts(view)
                click(find(page, 'Try Again', BUTTON))
        finally:
            app.quit()


def region_run():
    # An opt-in region the account has not enabled: AWS answers as if the keys were unknown.
    with wharfui.Sandbox(seed='demo', faults=['region-not-enabled:DescribeRepositories:1'],
                         region='me-central-1') as sandbox:
        app = wharfui.App(sandbox.env())
        try:
            win = app.window()
            panel = wait_showing(win, 'Could Not Load Repositories', timeout=40)
            view = problem_view(panel)
            assert 'me-central-1' in texts(view), texts(view)
            label_containing(view, 'not enabled')
            app.screenshot('refusals-region', win)
            click(find(view, 'Choose Region…', BUTTON))
            ireland = find(app.app, 'Europe (Ireland) — eu-west-1')
            app.screenshot('refusals-region-menu')
            print('# Choose Region… opened the region menu', flush=True)
            click(ireland)
            region = find(win, 'Region', BUTTON)
            wait_for(lambda: region.description == 'Europe (Ireland) — eu-west-1', 10,
                     'the region button to say eu-west-1')
            lst = find(win, 'Repositories', 'list')
            wait_for(lambda: REPOSITORY in wharfui.row_names(lst), 40,
                     'the repositories of eu-west-1')
            print('# and another region lists its repositories', flush=True)
        finally:
            app.quit()


def credentials_run():
    faults = ['expired-token:DescribeRepositories:1',
              # In a region that needs no enabling, the same answer means unknown keys.
              'region-not-enabled:DescribeRepositories:1']
    with wharfui.Sandbox(seed='demo', faults=faults) as sandbox:
        app = wharfui.App(sandbox.env())
        try:
            win = app.window()
            panel = wait_showing(win, 'Could Not Load Repositories', timeout=40)
            view = problem_view(panel)
            label_containing(view, 'temporary credentials have expired')
            # Keys from the environment are renewed where they come from.
            label_containing(view, 'AWS_SESSION_TOKEN')
            app.screenshot('refusals-expired', win)
            print('# an expired token: explained', flush=True)

            click(find(panel, 'Retry', BUTTON))
            # Expired tokens from the environment had no button; unknown keys have one.
            wait_for(lambda: wharfui.showing(view, 'Edit Account…', BUTTON), 40,
                     'the explanation of unknown keys')
            click(find(view, 'Edit Account…', BUTTON))
            window_named(app, 'Add AWS Account', timeout=20)
            app.screenshot('refusals-edit-account')
            print('# Edit Account… opened the account dialog', flush=True)
        finally:
            app.quit()


images_run()
region_run()
credentials_run()
