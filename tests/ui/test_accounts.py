#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts against the sandbox: the first-run welcome; adding an account by typing keys
(a refused secret keeps what was typed and shows the AWS message; the accepted secret goes
to the keyring and to no file); expired credentials show a banner that leads to
re-entering the keys; adding an account from an AWS CLI profile (a profile Wharf cannot
use says why); removing an account deletes its keyring item."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, banner_button, click, entry, find, keyring_items,  # noqa: E402
                     label_containing, row_names, text_of, wait_for, wait_showing,
                     window_named)

wharfui.require_session()


def log(*args):
    print('#', *args, flush=True)


def write_profiles(sandbox):
    """Two profiles: keys Wharf can use, and a web identity one it cannot use yet."""
    path = os.environ['AWS_CONFIG_FILE']
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('[profile work]\n'
                'region = eu-west-1\n'
                f'aws_access_key_id = {sandbox.access_key_id}\n'
                f'aws_secret_access_key = {sandbox.secret_access_key}\n'
                '\n'
                '[profile ci-web]\n'
                'role_arn = arn:aws:iam::111122223333:role/ci\n'
                'web_identity_token_file = /nonexistent/token\n'
                'region = us-east-1\n')


def account_button(win):
    return find(win, 'Account', BUTTON)


def choose_in_account_menu(app, win, label):
    click(account_button(win))
    click(find(app.app, label))


# The first listing answers ExpiredTokenException, as a session token that ran out would.
sandbox = wharfui.Sandbox(seed='demo', faults=['expired-token:DescribeRepositories:1'])
try:
    write_profiles(sandbox)
    env = dict(wharfui.settings_env({'window-width': 1280, 'window-height': 800}),
               AWS_ENDPOINT_URL_ECR=sandbox.url, AWS_ENDPOINT_URL_STS=sandbox.url)
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        wait_showing(win, 'No Account Yet')
        app.screenshot('accounts-welcome', win)

        # --- Keys: a wrong secret is refused and what was typed stays ---
        click(find(win, 'Add AWS Account', BUTTON))
        dialog = window_named(app, 'Add AWS Account')
        entry(dialog, 'Name in Wharf').text = 'Sandbox keys'
        entry(dialog, 'Access key ID').text = sandbox.access_key_id
        entry(dialog, 'Secret access key').text = 'not-the-secret'
        app.screenshot('accounts-add-keys', dialog)
        click(find(dialog, 'Add', BUTTON))
        error = wait_for(lambda: dialog.findChild(
            lambda n: n.roleName == 'label' and 'did not accept' in (n.name or ''),
            retry=False, requireResult=False), 20, 'the refusal')
        log('refused:', error.name)
        assert text_of(entry(dialog, 'Access key ID')) == sandbox.access_key_id
        assert text_of(entry(dialog, 'Name in Wharf')) == 'Sandbox keys'
        app.screenshot('accounts-add-refused', dialog)

        # --- The right secret: verified, saved, the secret in the keyring only ---
        entry(dialog, 'Secret access key').text = sandbox.secret_access_key
        click(find(dialog, 'Add', BUTTON))
        wait_for(lambda: account_button(win).description == 'Sandbox keys', 20,
                 'the new account in the switcher')
        items = keyring_items()
        assert len(items) == 1, items
        assert sandbox.secret_access_key in items[0][1], 'the keyring item lacks the secret'
        hits = wharfui.files_containing(sandbox.secret_access_key)
        aws_files = {os.environ['AWS_CONFIG_FILE']}
        assert set(hits) <= aws_files, f'the secret is in files: {set(hits) - aws_files}'
        log('secret in the keyring, in no file Wharf wrote')

        # --- Expired credentials: a banner leads to re-entering the keys ---
        banner = banner_button(win, 'Re-enter Keys…')
        app.screenshot('accounts-expired-banner', win)
        click(banner)
        dialog = window_named(app, 'Re-enter Access Key')
        assert text_of(entry(dialog, 'Access key ID')) == sandbox.access_key_id
        entry(dialog, 'Secret access key').text = sandbox.secret_access_key
        click(find(dialog, 'Save', BUTTON))
        lst = find(win, 'Repositories', 'list')
        wait_for(lambda: 'team-a/api' in row_names(lst), 20, 'the list after new keys')
        assert len(keyring_items()) == 1, 'replacing keys must not add a keyring item'
        log('expired banner, keys re-entered')

        # --- A profile; one that Wharf cannot use says why ---
        choose_in_account_menu(app, win, 'Add Account…')
        dialog = window_named(app, 'Add AWS Account')
        click(find(dialog, 'AWS CLI Profile', 'page tab'))
        label_containing(dialog, 'web identity token')  # why ci-web cannot be used
        app.screenshot('accounts-add-profile', dialog)
        wharfui.select_row(find(dialog, 'Profiles', 'list'), 'work')
        click(find(dialog, 'Add', BUTTON))
        wait_for(lambda: account_button(win).description == 'Profile “work”', 20,
                 'the profile account')
        region = find(win, 'Region', BUTTON)
        wait_for(lambda: region.description == 'Europe (Ireland) — eu-west-1', 10,
                 'the profile’s region')
        wait_for(lambda: 'team-a/api' in row_names(find(win, 'Repositories', 'list')), 20,
                 'the profile’s repositories')
        log('profile account added in its region')

        # --- Removing the keys account deletes its keyring item ---
        choose_in_account_menu(app, win, 'Sandbox keys')
        wait_for(lambda: account_button(win).description == 'Sandbox keys', 10, 'switching back')
        choose_in_account_menu(app, win, 'Remove This Account…')
        alert = window_named(app, 'Remove “Sandbox keys”?')
        app.screenshot('accounts-remove', alert)
        click(find(alert, 'Remove', BUTTON))
        wait_for(lambda: keyring_items() == [], 10, 'the keyring item to go')
        wait_for(lambda: account_button(win).description == 'Profile “work”', 10,
                 'the remaining account')
        log('account removed with its keyring item')
    finally:
        app.quit()
finally:
    sandbox.stop()

# --- The welcome page in a phone-sized window ---
app = wharfui.App(extra_env=wharfui.settings_env({'window-width': 360, 'window-height': 720}))
try:
    win = app.window()
    wait_showing(win, 'No Account Yet')
    find(win, 'Add AWS Account', BUTTON)
    assert win.size[0] <= 480, f'the window is {win.size[0]} px wide'
    app.screenshot('accounts-welcome-narrow', win)
finally:
    app.quit()

print('ok: welcome, keys refused and accepted, keyring, expired banner, profile, removal')
