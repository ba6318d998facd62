#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Signing in with IAM Identity Center from the app: Wharf runs with AWS_PROFILE naming an
SSO profile nobody has signed in to; the credentials banner offers to fix it, the sign-in
window shows the code the service issued, the (sandbox's) person approves it, and the
token lands in the AWS CLI's cache, mode 0600.
Then a role profile with mfa_serial: Wharf asks for the code; a wrong one is refused with
the service's message; a cancelled dialog is explained with a Try Again button, and the right
code then opens the account."""
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402

wharfui.require_session()

SESSION = 'corp'
CONFIG = f"""[profile sso-dev]
sso_session = {SESSION}
sso_account_id = 222233334444
sso_role_name = Developer
region = eu-west-1

[sso-session {SESSION}]
sso_start_url = https://corp-example.awsapps.com/start
sso_region = eu-west-1
"""

helper_bin = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'tests', 'test-sso')
tmp = tempfile.mkdtemp(prefix='wharf-ui-sso-')
config = os.path.join(tmp, 'config')
credentials = os.path.join(tmp, 'credentials')
with open(config, 'w') as f:
    f.write(CONFIG)
open(credentials, 'w').close()

helper = subprocess.Popen([helper_bin, '--serve-no-login'], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
info = json.loads(helper.stdout.readline())
url = info['url']
cache = os.path.join(os.path.expanduser('~'), '.aws', 'sso', 'cache',
                     hashlib.sha1(SESSION.encode()).hexdigest() + '.json')
assert not os.path.exists(cache), f'{cache} exists before the test'

app = wharfui.App(extra_env={
    'AWS_PROFILE': 'sso-dev',
    'AWS_CONFIG_FILE': config,
    'AWS_SHARED_CREDENTIALS_FILE': credentials,
    'AWS_REGION': 'eu-west-1',
    'AWS_ENDPOINT_URL_ECR': url,
    'AWS_ENDPOINT_URL_SSO': url,
    'AWS_ENDPOINT_URL_SSO_OIDC': url,
    'AWS_ENDPOINT_URL_STS': url,
})
try:
    win = app.window()
    # Not signed in: the banner says so and offers a way out.
    wharfui.wait_for(lambda: win.findChild(
        lambda n: n.roleName == 'label' and 'not signed in to IAM Identity Center' in (n.name or ''),
        retry=False, requireResult=False), 20, 'the "not signed in" message')
    # It asks for what its button does, not for an access key.
    wharfui.label_containing(win, 'Sign in to IAM Identity Center to renew', 20)
    assert not win.findChild(lambda n: n.roleName == 'label' and 'add an access key' in (n.name or ''),
                             retry=False, requireResult=False), 'the banner offers an access key'
    app.screenshot('sso-banner')
    wharfui.click(wharfui.banner_button(win, 'Sign In…'))

    dialog = wharfui.window_named(app, 'Sign In with IAM Identity Center', timeout=20)
    # GTK 4.8 names a label by its text: the code is the label shaped like "ABCD-EFGH".
    label = wharfui.wait_for(lambda: dialog.findChild(
        lambda n: n.roleName == 'label' and re.fullmatch(r'[A-Z0-9]{4}-[A-Z0-9]{4}', n.name or ''),
        retry=False, requireResult=False), 20, 'the sign-in code')
    shown = label.name
    wharfui.on_screen(label, 10, 'the sign-in code on screen')
    app.screenshot('sso-code')

    helper.stdin.write('approve\n')
    helper.stdin.flush()
    approved = helper.stdout.readline().strip()
    assert shown == approved, f'the window shows {shown!r}, the service issued {approved!r}'

    # The window closes by itself and the account loads.
    def dialog_gone():
        if app.proc.poll() is not None:
            raise SystemExit(f'wharf exited with {app.proc.returncode}')
        names = []
        for child in app.app.children:
            try:
                names.append(wharfui.norm(child.name))
            except Exception:  # a window going away
                pass
        return 'Sign In with IAM Identity Center' not in names
    wharfui.wait_for(dialog_gone, 30, 'the sign-in window to close')
    wharfui.wait_for(lambda: os.path.exists(cache), 10, 'the token cache file')
    mode = stat.S_IMODE(os.stat(cache).st_mode)
    assert mode == 0o600, f'cache file mode {oct(mode)}'
    with open(cache) as f:
        token = json.load(f)
    assert token.get('accessToken') and token.get('refreshToken'), sorted(token)
    wharfui.wait_for(lambda: win.findChild(
        lambda n: n.roleName == 'label' and 'not signed in' in (n.name or '') and n.showing,
        retry=False, requireResult=False) is None, 20, 'the banner to go away')
    app.screenshot('sso-signed-in')
    print(f'ok: signed in with code {approved}; {os.path.basename(cache)} written (0600)')
finally:
    app.quit()
    if os.path.exists(cache):
        os.unlink(cache)

# ---- A role that needs an MFA code ----
with open(config, 'w') as f:
    f.write('[profile guarded]\nrole_arn = arn:aws:iam::222233334444:role/Guarded\n'
            'source_profile = practice\nmfa_serial = arn:aws:iam::111122223333:mfa/alice\n'
            'region = eu-west-1\n')
with open(credentials, 'w') as f:
    f.write(f'[practice]\naws_access_key_id = {wharfui.PRACTICE_ACCESS_KEY_ID}\n'
            f'aws_secret_access_key = {wharfui.PRACTICE_SECRET_ACCESS_KEY}\n')


def find_mfa_dialog(app):
    return wharfui.wait_for(lambda: app.app.findChild(
        lambda n: n.roleName in ('dialog', 'frame', 'alert') and 'Enter MFA Code' in (n.name or ''),
        retry=False, requireResult=False), 20, 'the MFA dialog')


def answer_mfa(app, code):
    dialog = find_mfa_dialog(app)
    field = wharfui.entry(dialog, 'MFA code')
    field.text = code
    app.screenshot('mfa-dialog')
    wharfui.click(wharfui.find(dialog, 'Continue', wharfui.BUTTON))


app = wharfui.App(extra_env={
    'AWS_PROFILE': 'guarded',
    'AWS_CONFIG_FILE': config,
    'AWS_SHARED_CREDENTIALS_FILE': credentials,
    'AWS_REGION': 'eu-west-1',
    'AWS_ENDPOINT_URL_ECR': url,
    'AWS_ENDPOINT_URL_STS': url,
})
try:
    win = app.window()
    answer_mfa(app, '000000')
    wharfui.wait_for(lambda: win.findChild(
        lambda n: n.roleName == 'label' and 'invalid MFA one time pass code' in (n.name or ''),
        retry=False, requireResult=False), 20, 'the refusal of the wrong code')
    # The banner tells a refused role from expired keys, and offers to try again.
    wharfui.label_containing(win, 'AWS did not let these credentials assume the profile’s role', 20)
    wharfui.find(win, 'Try Again', wharfui.BUTTON, timeout=20)
    app.screenshot('mfa-refused')
    wharfui.click(wharfui.find(win, 'Retry', wharfui.BUTTON))
    # Cancelled: the banner says no code was entered, and Try Again asks again.
    dialog = find_mfa_dialog(app)
    wharfui.click(wharfui.find(dialog, 'Cancel', wharfui.BUTTON))
    wharfui.label_containing(win, 'No MFA code was entered, so Wharf could not use this profile’s role.', 20)
    app.screenshot('mfa-cancelled')
    wharfui.click(wharfui.banner_button(win, 'Try Again'))
    answer_mfa(app, '123456')
    empty = wharfui.wait_for(lambda: win.findChild(
        lambda n: n.name == 'No Repositories Yet', retry=False, requireResult=False), 20,
        'the account to open')
    wharfui.on_screen(empty, 10, 'the opened account on screen')
    app.screenshot('mfa-signed-in')
    print('ok: the MFA code was asked for, the wrong one refused, the cancel explained, '
          'the right one accepted')
finally:
    app.quit()
    helper.stdin.close()
    helper.wait(10)
