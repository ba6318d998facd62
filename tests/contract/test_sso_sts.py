# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract: the sandbox's STS, SSO portal and SSO-OIDC answers as botocore parses them, and a
token cache written by Wharf read back by the AWS CLI.

`test-sso --serve` starts an in-process sandbox and signs in with Wharf's own device flow
(approving it itself), so Wharf's code writes ~/.aws/sso/cache/<sha1 of the session>.json
in a temporary HOME. Then:
 - botocore clients (Debian's models for sts, sso and sso-oidc) pointed at the sandbox call
   every operation Wharf uses and must parse the answers, errors included;
 - /usr/bin/aws runs `sts get-caller-identity` with an SSO profile and with a role profile
   whose source is that SSO profile: it must read Wharf's cache file and get role credentials
   from the sandbox's portal, then call STS with them.

AWS CLI 2.9 (Debian 12) does not honour AWS_ENDPOINT_URL_<SERVICE> or a `services` section
(both arrived in 2.13), and its credential providers build their sso and sts clients
without --endpoint-url. So the CLI is pointed at the sandbox through AWS_DATA_PATH: a copy of
its own endpoint rule sets for sso and sts whose only rule is the sandbox URL.

The role profile the CLI runs has static keys as its source: CLI 2.9 cannot use an
sso-session profile as a source_profile (its SSOTokenProvider looks for the session in the
role profile and fails with "'NoneType' object has no attribute 'get_frozen_token'"); Wharf
can, see tests/test-sso.c."""

import copy
import glob
import hashlib
import json
import os
import select
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402

import botocore  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.session  # noqa: E402

AWS = '/usr/bin/aws'
CLI_DATA = '/usr/lib/python3/dist-packages/awscli/botocore/data'
CLI_TIMEOUT = ecrmodel.scaled(60)
START_TIMEOUT = ecrmodel.scaled(60)
SESSION = 'corp'
START_URL = 'https://corp-example.awsapps.com/start'
REGION = 'eu-west-1'
ROLE_ARN_DEPLOY = 'arn:aws:iam::{account}:role/Deploy'

CONFIG = f"""[profile sso-dev]
sso_session = {SESSION}
sso_account_id = 222233334444
sso_role_name = Developer
region = {REGION}

[profile deploy]
role_arn = arn:aws:iam::222233334444:role/Deploy
source_profile = practice
role_session_name = contract
region = {REGION}

[sso-session {SESSION}]
sso_start_url = {START_URL}
sso_region = {REGION}
sso_registration_scopes = sso:account:access
"""


def start_helper(helper, env):
    proc = subprocess.Popen([helper, '--serve'], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT)
    line = proc.stdout.readline() if ready else ''
    if not line:
        proc.kill()
        _, err = proc.communicate(timeout=ecrmodel.scaled(10))
        raise RuntimeError(f'test-sso --serve did not start: {err.strip()[:500]}')
    return proc, json.loads(line)


def stop_helper(proc):
    try:
        proc.stdin.close()
        proc.wait(timeout=ecrmodel.scaled(30))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def write_endpoint_overrides(data_dir, url):
    """Copies the CLI's own sso and sts endpoint rule sets with one rule: the sandbox."""
    for service in ('sso', 'sts'):
        [source] = glob.glob(os.path.join(CLI_DATA, service, '*', 'endpoint-rule-set-1.json'))
        version = os.path.basename(os.path.dirname(source))
        with open(source) as f:
            rules = json.load(f)
        override = copy.deepcopy(rules)
        override['rules'] = [{'conditions': [], 'type': 'endpoint',
                              'endpoint': {'url': url, 'properties': {}, 'headers': {}}}]
        target = os.path.join(data_dir, service, version)
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, 'endpoint-rule-set-1.json'), 'w') as f:
            json.dump(override, f)


def check_cache_file(t, info, home):
    name = hashlib.sha1(SESSION.encode()).hexdigest() + '.json'
    path = os.path.join(home, '.aws', 'sso', 'cache', name)
    t.check(info['cache'] == path, f'cache file {info["cache"]} is not {path}')
    if not t.check(os.path.isfile(path), f'{path} was not written'):
        return None
    mode = stat.S_IMODE(os.stat(path).st_mode)
    t.check(mode == 0o600, f'cache file mode is {oct(mode)}, not 0o600')
    with open(path) as f:
        cache = json.load(f)
    for field in ('accessToken', 'expiresAt', 'refreshToken', 'clientId', 'clientSecret',
                  'registrationExpiresAt', 'region', 'startUrl'):
        t.check(isinstance(cache.get(field), str) and cache[field],
                f'cache file has no {field}: {sorted(cache)}')
    for field in ('expiresAt', 'registrationExpiresAt'):
        value = cache.get(field, '')
        try:
            time.strptime(value, '%Y-%m-%dT%H:%M:%SZ')
            ok = True
        except ValueError:
            ok = False
        t.check(ok, f'{field} {value!r} is not like 2026-11-27T10:00:00Z')
    t.check(cache.get('startUrl') == START_URL and cache.get('region') == REGION,
            f'cache file names {cache.get("startUrl")} {cache.get("region")}')
    print(f'  Wharf wrote {name} (mode {oct(mode)})')
    return cache


def client_error(t, what, call, code, status):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        got = e.response.get('Error', {}).get('Code')
        got_status = e.response.get('ResponseMetadata', {}).get('HTTPStatusCode')
        t.check(got == code and got_status == status,
                f'{what}: expected {code} ({status}), got {got} ({got_status})')
        print(f'  {what} → {got} ({got_status})')
        return e.response
    t.check(False, f'{what}: expected {code}, it succeeded')
    return None


def botocore_checks(t, url, info, cache):
    session = botocore.session.get_session()
    unsigned = botocore.config.Config(signature_version=botocore.UNSIGNED,
                                      retries={'max_attempts': 1})
    account = info['account']

    sts = session.create_client('sts', region_name=REGION, endpoint_url=url,
                                aws_access_key_id=ecrmodel.PRACTICE_ACCESS_KEY_ID,
                                aws_secret_access_key=ecrmodel.PRACTICE_SECRET_ACCESS_KEY,
                                config=botocore.config.Config(retries={'max_attempts': 1}))
    who = sts.get_caller_identity()
    t.check(who['Account'] == ecrmodel.PRACTICE_ACCOUNT_ID and who['Arn'].startswith('arn:aws:iam::')
            and who['UserId'], f'GetCallerIdentity parsed as {who}')
    role = sts.assume_role(RoleArn=ROLE_ARN_DEPLOY.format(account=account),
                           RoleSessionName='botocore', DurationSeconds=900)
    creds = role['Credentials']
    t.check(creds['AccessKeyId'].startswith('ASIA') and creds['SecretAccessKey']
            and creds['SessionToken'] and hasattr(creds['Expiration'], 'year'),
            f'AssumeRole credentials parsed as {sorted(creds)}')
    t.check(role['AssumedRoleUser']['Arn'].endswith(':assumed-role/Deploy/botocore'),
            f'AssumeRole user parsed as {role.get("AssumedRoleUser")}')
    print(f'  sts assume_role → {creds["AccessKeyId"][:8]}… until {creds["Expiration"]}')
    assumed = session.create_client('sts', region_name=REGION, endpoint_url=url,
                                    aws_access_key_id=creds['AccessKeyId'],
                                    aws_secret_access_key=creds['SecretAccessKey'],
                                    aws_session_token=creds['SessionToken'])
    who = assumed.get_caller_identity()
    t.check(who['Account'] == account, f'GetCallerIdentity with the role: {who}')
    response = client_error(t, 'sts assume_role (a role nobody may assume)',
                            lambda: sts.assume_role(RoleArn='arn:aws:iam::999999999999:role/No',
                                                    RoleSessionName='botocore'),
                            'AccessDenied', 403)
    if response:
        t.check('not authorized' in response['Error'].get('Message', ''),
                f'AccessDenied message: {response["Error"]}')
    client_error(t, 'sts assume_role (DurationSeconds too long)',
                 lambda: sts.assume_role(RoleArn=ROLE_ARN_DEPLOY.format(account=account),
                                         RoleSessionName='botocore', DurationSeconds=900 + 43200),
                 'ValidationError', 400)

    sso = session.create_client('sso', region_name=REGION, endpoint_url=url, config=unsigned)
    token = cache['accessToken']
    got = sso.get_role_credentials(roleName=info['role'], accountId=account, accessToken=token)
    rc = got['roleCredentials']
    t.check(rc['accessKeyId'].startswith('ASIA') and rc['secretAccessKey'] and rc['sessionToken']
            and isinstance(rc['expiration'], int) and rc['expiration'] > time.time() * 1000,
            f'GetRoleCredentials parsed as {sorted(rc)}')
    pages = list(sso.get_paginator('list_accounts').paginate(accessToken=token,
                                                             PaginationConfig={'PageSize': 1}))
    accounts = [a['accountId'] for p in pages for a in p['accountList']]
    t.check(accounts == [account], f'ListAccounts pages: {accounts}')
    roles = [r['roleName'] for p in sso.get_paginator('list_account_roles').paginate(
        accessToken=token, accountId=account) for r in p['roleList']]
    t.check(roles == [info['role']], f'ListAccountRoles: {roles}')
    client_error(t, 'sso get_role_credentials (unknown token)',
                 lambda: sso.get_role_credentials(roleName=info['role'], accountId=account,
                                                  accessToken='not-a-token'),
                 'UnauthorizedException', 401)
    client_error(t, 'sso get_role_credentials (no assignment)',
                 lambda: sso.get_role_credentials(roleName='Admin', accountId=account,
                                                  accessToken=token),
                 'ForbiddenException', 403)

    oidc = session.create_client('sso-oidc', region_name=REGION, endpoint_url=url,
                                 config=unsigned)
    client = oidc.register_client(clientName='contract', clientType='public',
                                  scopes=['sso:account:access'])
    t.check(client['clientId'] and client['clientSecret']
            and client['clientSecretExpiresAt'] > time.time(),
            f'RegisterClient parsed as {sorted(client)}')
    device = oidc.start_device_authorization(clientId=client['clientId'],
                                             clientSecret=client['clientSecret'],
                                             startUrl=START_URL)
    t.check(device['deviceCode'] and device['userCode']
            and device['userCode'] in device['verificationUriComplete']
            and device['expiresIn'] > 0 and device['interval'] > 0,
            f'StartDeviceAuthorization parsed as {sorted(device)}')
    grant = 'urn:ietf:params:oauth:grant-type:device_code'
    response = client_error(t, 'sso-oidc create_token (not approved yet)',
                            lambda: oidc.create_token(clientId=client['clientId'],
                                                      clientSecret=client['clientSecret'],
                                                      grantType=grant,
                                                      deviceCode=device['deviceCode']),
                            'AuthorizationPendingException', 400)
    if response:
        t.check(response.get('error') == 'authorization_pending',
                f'AuthorizationPendingException.error parsed as {response.get("error")!r}')
    client_error(t, 'sso-oidc create_token (unknown device code)',
                 lambda: oidc.create_token(clientId=client['clientId'],
                                           clientSecret=client['clientSecret'],
                                           grantType=grant, deviceCode='nope'),
                 'InvalidGrantException', 400)
    # Refresh with what Wharf stored (spends that refresh token: last).
    fresh = oidc.create_token(clientId=cache['clientId'], clientSecret=cache['clientSecret'],
                              grantType='refresh_token', refreshToken=cache['refreshToken'])
    t.check(fresh['accessToken'] and fresh['expiresIn'] > 0 and fresh['refreshToken']
            and fresh['tokenType'] == 'Bearer', f'CreateToken (refresh) parsed as {sorted(fresh)}')
    print(f'  sso-oidc create_token (refresh with Wharf\'s cache) → expires in {fresh["expiresIn"]} s')


def cli_checks(t, url, env, info):
    data_dir = os.path.join(env['HOME'], 'cli-data')
    write_endpoint_overrides(data_dir, url)
    cli_env = dict(env, AWS_DATA_PATH=data_dir, AWS_PAGER='', AWS_MAX_ATTEMPTS='1',
                   AWS_EC2_METADATA_DISABLED='true', NO_PROXY='127.0.0.1')
    for profile, arn_part in (('sso-dev', ':assumed-role/AWSReservedSSO_Developer_'),
                              ('deploy', ':assumed-role/Deploy/contract')):
        argv = [AWS, 'sts', 'get-caller-identity', '--profile', profile, '--output', 'json']
        try:
            proc = subprocess.run(argv, env=cli_env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=CLI_TIMEOUT)
        except subprocess.TimeoutExpired:
            t.check(False, f'aws sts get-caller-identity --profile {profile}: no answer')
            continue
        if not t.check(proc.returncode == 0, f'aws sts get-caller-identity --profile {profile}: '
                       f'exit {proc.returncode}: {proc.stderr.strip()[:500]}'):
            continue
        who = json.loads(proc.stdout)
        t.check(who.get('Account') == info['account'] and arn_part in who.get('Arn', ''),
                f'aws sts get-caller-identity --profile {profile} → {who}')
        print(f'  aws sts get-caller-identity --profile {profile} → {who.get("Arn")}')


def main():
    helper = os.path.join(ecrmodel.build_root(), 'tests', 'test-sso')
    if not os.access(helper, os.X_OK):
        ecrmodel.skip(f'{helper} is not built')
    t = ecrmodel.Tally('contract-sso-sts')
    start = time.monotonic()

    with tempfile.TemporaryDirectory(prefix='wharf-contract-sso-') as tmp:
        home = os.path.join(tmp, 'home')
        os.makedirs(home)
        config = os.path.join(tmp, 'aws-config')
        credentials = os.path.join(tmp, 'aws-credentials')
        with open(config, 'w') as f:
            f.write(CONFIG)
        with open(credentials, 'w') as f:
            f.write(f'[practice]\naws_access_key_id = {ecrmodel.PRACTICE_ACCESS_KEY_ID}\n'
                    f'aws_secret_access_key = {ecrmodel.PRACTICE_SECRET_ACCESS_KEY}\n')
        empty = os.path.join(tmp, 'empty')
        open(empty, 'w').close()
        env = {
            'PATH': '/usr/bin:/bin',
            'HOME': home,
            'LANG': 'C.UTF-8',
            'AWS_CONFIG_FILE': config,
            'AWS_SHARED_CREDENTIALS_FILE': credentials,
            'WHARF_SSO_SESSION': SESSION,
        }
        if os.environ.get('WHARF_RECORD_DIR'):
            env['WHARF_RECORD_DIR'] = os.environ['WHARF_RECORD_DIR']
        # botocore in this process reads no profile of ours
        os.environ['AWS_CONFIG_FILE'] = empty
        os.environ['AWS_SHARED_CREDENTIALS_FILE'] = empty
        proc, info = start_helper(helper, ecrmodel.child_env(env))
        try:
            url = info['url']
            cache = check_cache_file(t, info, home)
            if os.access(AWS, os.X_OK):
                cli_checks(t, url, env, info)
            else:
                print(f'  {AWS} is not installed: the CLI part is skipped')
            if cache:
                botocore_checks(t, url, info, cache)
        except Exception as e:
            import traceback
            traceback.print_exc()
            t.check(False, f'stopped: {type(e).__name__}: {e}')
        finally:
            stop_helper(proc)
    print(f'total {time.monotonic() - start:.1f} s')
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
