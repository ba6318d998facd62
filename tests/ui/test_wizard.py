#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The repository creation wizard against the sandbox: a name is checked as it is typed
(ECR's rules with the reason, an existing name caught before sending); every option is
set (immutable tags with the exception "latest", scan on push, KMS with a key ARN that is
validated, a resource tag); a refused creation keeps every value and shows the AWS message;
the repository is then created with exactly those settings, as the sandbox confirms, and
selected in the sidebar."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, activate, click, entry, find, label_containing,  # noqa: E402
                     select_row, text_of, wait_for, window_named)

wharfui.require_session()

NAME = 'team-c/new-service'
KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'


def log(*args):
    print('#', *args, flush=True)


sandbox = wharfui.Sandbox(seed='demo', faults=['access-denied:CreateRepository:1'])
try:
    env = dict(sandbox.env('us-east-1'), **wharfui.settings_env({'window-width': 1280,
                                                                 'window-height': 800}))
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        lst = find(win, 'Repositories', 'list')
        wait_for(lambda: 'team-a/api' in wharfui.row_names(lst), 20, 'the demo repositories')
        click(find(win, 'New Repository', BUTTON))
        dialog = window_named(app, 'New Repository')
        next_button = find(dialog, 'Next', BUTTON)

        # --- 1. Name ---
        name = entry(dialog, 'Repository name')
        name.text = 'Bad_Name'
        reason = label_containing(dialog, 'lowercase')
        log('refused name:', reason.name)
        wait_for(lambda: not next_button.sensitive, 5, 'Next to be disabled')
        app.screenshot('wizard-name-invalid', dialog)
        name.text = 'team-a/api'
        label_containing(dialog, 'exists already')
        assert not next_button.sensitive
        name.text = NAME
        label_containing(dialog, 'can be used')
        wait_for(lambda: next_button.sensitive, 5, 'Next to be enabled')
        app.screenshot('wizard-name', dialog)
        click(next_button)

        # --- 2. Tag immutability, except "latest" ---
        select_row(find(dialog, 'Tag immutability', 'list'), 'Immutable')
        click(find(dialog, 'Add Exception', BUTTON))
        entry(dialog, 'Exception 1').text = 'latest'
        app.screenshot('wizard-tags', dialog)
        click(next_button)

        # --- 3. Scan on push ---
        scan = find(dialog, 'Scan on push', ('switch', 'toggle button', 'check box'))
        activate(scan)
        wait_for(lambda: scan.checked, 5, 'scan on push to be on')
        app.screenshot('wizard-scanning', dialog)
        click(next_button)

        # --- 4. KMS with a key that is checked ---
        select_row(find(dialog, 'Encryption', 'list'), 'AWS KMS')
        select_row(find(dialog, 'Key', 'list'), 'A key of your own')
        key = entry(dialog, 'Key ARN, key ID or alias')
        key.text = 'not a key'
        wait_for(lambda: not next_button.sensitive, 5, 'Next disabled for a bad key')
        app.screenshot('wizard-encryption-invalid', dialog)
        key.text = KEY_ARN
        wait_for(lambda: next_button.sensitive, 5, 'Next enabled for a key ARN')
        click(next_button)

        # --- 5. A resource tag ---
        click(find(dialog, 'Add Resource Tag', BUTTON))
        entry(dialog, 'Tag key').text = 'team'
        entry(dialog, 'Tag value').text = 'payments'
        app.screenshot('wizard-resource-tags', dialog)
        click(next_button)

        # --- 6. Review, then a refusal that keeps everything ---
        label_containing(dialog, 'except latest')
        label_containing(dialog, 'team = payments')
        app.screenshot('wizard-review', dialog)
        create = find(dialog, 'Create', BUTTON)
        click(create)
        refusal = label_containing(dialog, 'was not created', timeout=20)
        log('refused:', refusal.name)
        assert sandbox.repository(NAME) is None
        assert text_of(entry(dialog, 'Repository name')) == NAME
        assert text_of(entry(dialog, 'Exception 1')) == 'latest'
        assert text_of(entry(dialog, 'Key ARN, key ID or alias')) == KEY_ARN
        assert text_of(entry(dialog, 'Tag key')) == 'team'
        app.screenshot('wizard-refused', dialog)

        # --- Create: exactly what was chosen ---
        wait_for(lambda: create.sensitive, 10, 'Create to be enabled again')
        click(create)
        repo = wait_for(lambda: sandbox.repository(NAME), 20, 'the repository in the sandbox')
        assert repo['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION', repo
        filters = repo.get('imageTagMutabilityExclusionFilters')
        assert filters == [{'filterType': 'WILDCARD', 'filter': 'latest'}], filters
        assert repo['imageScanningConfiguration']['scanOnPush'] is True, repo
        assert repo['encryptionConfiguration'] == {'encryptionType': 'KMS', 'kmsKey': KEY_ARN}, repo
        tags = sandbox.ecr().list_tags_for_resource(resourceArn=repo['repositoryArn'])['tags']
        assert tags == [{'Key': 'team', 'Value': 'payments'}], tags
        log('created with every option:', repo['repositoryUri'])

        # The new repository is selected and the next step is offered.
        wait_for(lambda: NAME in wharfui.row_names(find(win, 'Repositories', 'list')), 10,
                 'the new repository in the sidebar')
        find(win, 'Push an Image…', BUTTON)
        app.screenshot('wizard-created', win)
    finally:
        app.quit()
finally:
    sandbox.stop()

print('ok: name checks, every option, refusal keeps values, created as chosen')
