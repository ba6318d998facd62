#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A repository's settings against the sandbox: each change is applied at once (tag
immutability, an exception pattern, scan on push, resource tags added and removed), a
change ECR refuses is undone on screen with the reason, and a repository that still holds
images is deleted only after its name is typed (Wharf then uses force)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, activate, click, entry, find, label_containing,  # noqa: E402
                     row_names, select_row, wait_for, wait_showing, window_named)

wharfui.require_session()

NAME = 'team-a/worker'


def log(*args):
    print('#', *args, flush=True)


# The first change of scan on push is refused, as an IAM policy without that permission would.
sandbox = wharfui.Sandbox(seed='demo', faults=['access-denied:PutImageScanningConfiguration:1'])
try:
    ecr = sandbox.ecr()
    images = ecr.describe_images(repositoryName=NAME)['imageDetails']
    if not images:
        # The demo seed decides what each repository holds; make sure this one is not empty.
        ecr.put_image(repositoryName=NAME, imageTag='v1', imageManifest='{"schemaVersion": 2, '
                      '"mediaType": "application/vnd.docker.distribution.manifest.v2+json", '
                      '"config": {"mediaType": "application/vnd.docker.container.image.v1+json", '
                      '"size": 2, "digest": "sha256:' + '0' * 64 + '"}, "layers": []}')
    before = sandbox.repository(NAME)
    assert before['imageTagMutability'] == 'MUTABLE', before
    scan_before = before['imageScanningConfiguration']['scanOnPush']

    env = dict(sandbox.env('us-east-1'), **wharfui.settings_env({'window-width': 1280,
                                                                 'window-height': 800}))
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        lst = find(win, 'Repositories', 'list')
        select_row(lst, NAME)
        click(wait_showing(win, 'Settings', 'page tab'))
        wait_showing(win, before['repositoryUri'], 'label')

        # --- Tag immutability ---
        activate(find(win, 'Immutable tags', ('switch', 'toggle button', 'check box')))
        wait_for(lambda: sandbox.repository(NAME)['imageTagMutability'] == 'IMMUTABLE', 20,
                 'IMMUTABLE in the sandbox')
        assert find(win, 'Immutable tags', ('switch', 'toggle button', 'check box')).checked
        log('immutable')

        # --- An exception pattern, applied with its row's apply button ---
        click(find(win, 'Add Exception', BUTTON))
        entry(win, 'Exception 1').text = 'latest'
        click(find(win, 'Apply', BUTTON))
        wait_for(lambda: sandbox.repository(NAME).get('imageTagMutabilityExclusionFilters')
                 == [{'filterType': 'WILDCARD', 'filter': 'latest'}], 20,
                 'the exception in the sandbox')
        assert sandbox.repository(NAME)['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION'
        log('exception latest')

        # --- Scan on push: refused first (undone, with the reason), then applied ---
        scan = find(win, 'Scan on push', ('switch', 'toggle button', 'check box'))
        assert bool(scan.checked) == scan_before
        activate(scan)
        label_containing(win, 'Scan on push was not changed', timeout=20)
        wait_for(lambda: bool(scan.checked) == scan_before, 10, 'the switch to be undone')
        assert sandbox.repository(NAME)['imageScanningConfiguration']['scanOnPush'] == scan_before
        app.screenshot('settings-refused', win)
        activate(scan)
        wait_for(lambda: sandbox.repository(NAME)['imageScanningConfiguration']['scanOnPush']
                 != scan_before, 20, 'scan on push changed in the sandbox')
        log('scan on push refused, then changed')

        # --- Resource tags ---
        arn = before['repositoryArn']
        entry(win, 'New tag key').text = 'owner'
        entry(win, 'New tag value').text = 'alice'
        click(find(win, 'Add Tag', BUTTON))
        wait_for(lambda: {'Key': 'owner', 'Value': 'alice'} in
                 ecr.list_tags_for_resource(resourceArn=arn)['tags'], 20, 'the tag in the sandbox')
        app.screenshot('settings', win)
        click(find(win, 'Remove Tag “owner”', BUTTON))
        wait_for(lambda: all(t['Key'] != 'owner' for t in
                             ecr.list_tags_for_resource(resourceArn=arn)['tags']), 20,
                 'the tag removed in the sandbox')
        log('resource tag added and removed')

        # --- Deleting a repository that holds images ---
        click(find(win, 'Delete Repository…', BUTTON))
        alert = window_named(app, f'Delete “{NAME}”?', timeout=20)
        delete = find(alert, 'Delete With Images', BUTTON)
        assert not delete.sensitive, 'Delete must wait for the typed name'
        entry(alert, 'Repository name to confirm').text = NAME
        wait_for(lambda: delete.sensitive, 5, 'Delete to be enabled by the typed name')
        app.screenshot('settings-delete', alert)
        click(delete)
        wait_for(lambda: sandbox.repository(NAME) is None, 20, 'the repository to be deleted')
        wait_for(lambda: NAME not in row_names(find(win, 'Repositories', 'list')), 10,
                 'the row to go')
        log('non-empty repository deleted with force')
    finally:
        app.quit()
finally:
    sandbox.stop()

print('ok: immutability, exception, scan on push (refused, then applied), tags, delete')
