#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding an account through IAM Identity Center without a profile for it: the portal of
~/.aws/config's sso-session is offered, a start URL that is not https is refused before
anything is sent, the device sign-in shows the service's code, then the accounts and the
roles come from the portal; the second account with one of its two roles opens with its own
repository. The token is in the AWS CLI's cache; after a restart the account still works;
when the sign-in expires the banner offers "Sign In…", and signing in again brings the
repositories back. Screenshots of the picker at 1280x800 and 360 px wide."""
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, banner_button, click, entry, find, keys,  # noqa: E402
                     label_containing, on_screen, row_names, select_row, wait_for,
                     wait_showing, window_named)

wharfui.require_session()

SESSION = 'corp'
START_URL = 'https://corp-example.awsapps.com/start'
SPARE = 'spare'
STAGING = '555566667777'
SIGN_IN_TITLE = 'Sign In with IAM Identity Center'


def log(*args):
    print('#', time.strftime('%H:%M:%S'), *args, flush=True)


helper_bin = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'tests', 'test-sso')
tmp = tempfile.mkdtemp(prefix='wharf-ui-sso-accounts-')
config = os.path.join(tmp, 'config')
credentials = os.path.join(tmp, 'credentials')
# A profile uses the session, so Wharf offers its portal; the account Wharf adds is not in it.
# Another session no profile uses is offered too.
with open(config, 'w') as f:
    f.write(f'[profile sso-dev]\nsso_session = {SESSION}\nsso_account_id = 222233334444\n'
            f'sso_role_name = Developer\nregion = eu-west-1\n\n'
            f'[sso-session {SESSION}]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n\n'
            f'[sso-session {SPARE}]\nsso_start_url = https://spare-example.awsapps.com/start\n'
            f'sso_region = us-east-1\n')
open(credentials, 'w').close()
with open(config) as f:
    config_before = f.read()

helper = subprocess.Popen([helper_bin, '--serve-no-login'], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
url = json.loads(helper.stdout.readline())['url']
cache = os.path.join(os.path.expanduser('~'), '.aws', 'sso', 'cache',
                     hashlib.sha1(SESSION.encode()).hexdigest() + '.json')
assert not os.path.exists(cache), f'{cache} exists before the test'


def command(line):
    helper.stdin.write(line + '\n')
    helper.stdin.flush()
    return helper.stdout.readline().strip()


env = dict(wharfui.settings_env({'window-width': 1280, 'window-height': 800}),
           AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=credentials,
           AWS_ENDPOINT_URL_ECR=url, AWS_ENDPOINT_URL_SSO=url, AWS_ENDPOINT_URL_SSO_OIDC=url,
           AWS_ENDPOINT_URL_STS=url)


def sign_in(app):
    """Approves the device sign-in the app shows, as the person would in the browser."""
    dialog = window_named(app, SIGN_IN_TITLE, timeout=20)
    code = wait_for(lambda: dialog.findChild(
        lambda n: n.roleName == 'label' and re.fullmatch(r'[A-Z0-9]{4}-[A-Z0-9]{4}', n.name or ''),
        retry=False, requireResult=False), 20, 'the sign-in code').name
    approved = command('approve')
    assert code == approved, f'the window shows {code!r}, the service issued {approved!r}'

    def gone():
        names = []
        for child in app.app.children:
            try:
                names.append(wharfui.norm(child.name))
            except Exception:  # a window going away
                pass
        return SIGN_IN_TITLE not in names
    wait_for(gone, 30, 'the sign-in window to close')
    return code


def repositories(win):
    return row_names(find(win, 'Repositories', 'list'))


def account_button(win):
    return find(win, 'Account', BUTTON)


try:
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        wait_showing(win, 'No Account Yet')
        click(find(win, 'Add AWS Account', BUTTON))
        dialog = window_named(app, 'Add AWS Account')
        click(find(dialog, 'IAM Identity Center', 'page tab'))

        # The config's session is offered.
        portals = find(dialog, 'Sign-in portals from the AWS configuration', 'list')
        wait_for(lambda: SESSION in row_names(portals), 10, 'the sso-session of the config')
        names = row_names(portals)
        assert names.count(SESSION) == 1 and SPARE in names, names

        # Not https: refused here, with the reason, before anything is sent.
        entry(dialog, 'Start URL').text = 'http://corp-example.awsapps.com/start'
        click(find(dialog, 'Sign In…', BUTTON))
        label_containing(dialog, 'begins with https://')
        assert wharfui.text_of(entry(dialog, 'Start URL')) == 'http://corp-example.awsapps.com/start'
        app.screenshot('sso-accounts-bad-url', dialog)

        select_row(portals, SESSION)
        wait_for(lambda: wharfui.text_of(entry(dialog, 'Start URL')) == START_URL, 10,
                 'the session’s start URL')
        app.screenshot('sso-accounts-start', dialog)
        click(find(dialog, 'Sign In…', BUTTON))
        code = sign_in(app)
        log('signed in with code', code)

        # The accounts of the portal, then the roles of the chosen one.
        accounts = find(dialog, 'Accounts', 'list', timeout=20)
        wait_for(lambda: row_names(accounts) == ['Development', 'Staging'], 20,
                 'the two accounts')
        label_containing(dialog, f'{STAGING} · stage@example.com')
        app.screenshot('sso-accounts-list', dialog)
        select_row(accounts, 'Staging')
        roles = find(dialog, 'Roles', 'list', timeout=20)
        wait_for(lambda: sorted(row_names(roles)) == ['AdminAccess', 'ReadOnly'], 20,
                 'the two roles of Staging')
        select_row(roles, 'AdminAccess')
        # A role picked: Add becomes available (and the selection is painted).
        add = wait_for(lambda: (b := find(dialog, 'Add', BUTTON)).sensitive and b, 20,
                       'Add to become available')
        app.screenshot('sso-accounts-picked', dialog)
        click(add)

        wait_for(lambda: account_button(win).description == 'Staging', 30,
                 'the Staging account in the switcher')
        wait_for(lambda: 'staging/api' in repositories(win), 30, 'Staging’s repository')
        app.screenshot('sso-accounts-added', win)
        log('Staging (AdminAccess) added; its repository is listed')

        # The token is where the AWS CLI keeps it, in its format.
        assert os.path.exists(cache), f'no {cache}'
        assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600, oct(os.stat(cache).st_mode)
        with open(cache) as f:
            token = json.load(f)
        for key in ('accessToken', 'expiresAt', 'refreshToken', 'clientId', 'clientSecret',
                    'registrationExpiresAt', 'region', 'startUrl'):
            assert token.get(key), f'{key} missing from the cache file: {sorted(token)}'
        assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', token['expiresAt']), token['expiresAt']
        assert token['startUrl'] == START_URL and token['region'] == 'eu-west-1'
        with open(config) as f:
            assert f.read() == config_before, 'Wharf changed ~/.aws/config'
        log('token in', os.path.basename(cache), '(0600, AWS CLI format); config untouched')
    finally:
        app.quit()

    # --- A restart: still signed in through the shared cache ---
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        wait_for(lambda: account_button(win).description == 'Staging', 30, 'Staging again')
        wait_for(lambda: 'staging/api' in repositories(win), 30, 'Staging’s repository again')
        assert not wharfui.showing(win, 'Sign In…', BUTTON), 'asked to sign in after a restart'
        log('after a restart: still signed in')

        # --- The sign-in expires while Wharf is open: a reload offers to sign in ---
        assert command('expire') == 'expired'
        keys('F5')
        wait_showing(win, 'Sign In…', BUTTON, timeout=30)
        app.screenshot('sso-accounts-expired-open', win)
        log('expired while open: the banner offers Sign In…')
    finally:
        app.quit()

    # --- The sign-in expired (overnight): at start the banner offers to sign in again ---
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        try:
            banner = banner_button(win, 'Sign In…', timeout=30)
        except AssertionError:
            app.screenshot('sso-accounts-expired-failed', win)
            raise
        app.screenshot('sso-accounts-expired', win)
        label_containing(win, f'IAM Identity Center session of {START_URL} is no longer valid', 10)
        click(banner)
        sign_in(app)
        wait_for(lambda: 'staging/api' in repositories(win), 30, 'the repository after signing in')
        wait_for(lambda: not any(n.showing for n in win.findChildren(
            lambda n: wharfui.norm(n.name) == 'Sign In…' and n.roleName in BUTTON)), 20,
            'the banner to go away')
        log('expired sign-in renewed from the banner')
    finally:
        app.quit()

    # --- The picker in a phone-sized window ---
    keyfile = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')
    with open(keyfile) as f:
        text = f.read()
    text = re.sub(r'(?m)^window-width=.*$', 'window-width=360', text)
    text = re.sub(r'(?m)^window-height=.*$', 'window-height=720', text)
    text = re.sub(r'(?m)^window-maximized=.*$', 'window-maximized=false', text)
    with open(keyfile, 'w') as f:
        f.write(text)
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        wait_for(lambda: account_button(win).description == 'Staging', 30, 'Staging (narrow)')
        click(account_button(win))
        click(find(app.app, 'Add Account…'))
        dialog = window_named(app, 'Add AWS Account')
        click(find(dialog, 'IAM Identity Center', 'page tab'))
        select_row(find(dialog, 'Sign-in portals from the AWS configuration', 'list'), SESSION)
        click(find(dialog, 'Sign In…', BUTTON))
        # Signed in already: straight to the accounts, no sign-in window.
        accounts = find(dialog, 'Accounts', 'list', timeout=20)
        wait_for(lambda: 'Staging' in row_names(accounts), 20, 'the accounts (narrow)')
        select_row(accounts, 'Staging')
        roles = find(dialog, 'Roles', 'list', timeout=20)
        wait_for(lambda: 'ReadOnly' in row_names(roles), 20, 'the roles (narrow)')
        on_screen(roles, 10, 'the roles on screen (narrow)')
        app.screenshot('sso-accounts-narrow', dialog)
        log('picker at 360 px')
    finally:
        app.quit()
finally:
    helper.stdin.close()
    helper.wait(10)
    if os.path.exists(cache):
        os.unlink(cache)
