#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never reach a file, a log or argv.

Runs the real app with an environment account (a fresh random secret access key and session
token, accepted by a sandbox started for this test), with every debug message on, through
its flows: the repositories load, each repository's page opens and its images load, the push
commands and the Docker login (a fake docker on PATH) when the UI offers them. Meanwhile it
records the argv of every process the app starts. Then it searches:
  - every file under HOME and the XDG folders of the test session (the keyring file under
    $XDG_DATA_HOME/keyrings is encrypted, so a plain search there is valid too),
  - the app's captured stdout/stderr (G_MESSAGES_DEBUG=all),
  - the argv of every child process,
for the secret and the token, as they are and in the encodings a leak would take (JSON with
escaped slashes, percent-encoding, base64). None may appear. The test also checks that the
app did sign with these credentials (the sandbox's record shows the key id and the token),
so that a run where nothing happened cannot pass."""
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ui'))
import wharfui  # noqa: E402

wharfui.require_session()

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_BIN = os.path.join(HERE, 'fake-bin')
REGION = 'us-east-1'


def log(*args):
    print('#', *args, flush=True)


def variants(value):
    """The forms a leaked value would take in a file or a log."""
    forms = {
        value,
        value.replace('/', '\\/'),
        urllib.parse.quote(value, safe=''),
        urllib.parse.quote_plus(value),
        base64.b64encode(value.encode()).decode(),
    }
    return [f.encode() for f in forms]


class ChildWatcher(threading.Thread):
    """Polls /proc for descendants of a pid and keeps their argv."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.argvs = {}
        self.stop = threading.Event()

    @staticmethod
    def _ppid(pid):
        try:
            with open(f'/proc/{pid}/stat', 'rb') as f:
                stat = f.read()
            # pid (comm) state ppid …; comm may hold spaces and parentheses.
            return int(stat[stat.rindex(b')') + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            return None

    def scan(self):
        family = {self.pid}
        pids = [int(p) for p in os.listdir('/proc') if p.isdigit()]
        parents = {p: self._ppid(p) for p in pids}
        changed = True
        while changed:
            changed = False
            for p, pp in parents.items():
                if pp in family and p not in family:
                    family.add(p)
                    changed = True
        for p in family - {self.pid}:
            try:
                with open(f'/proc/{p}/cmdline', 'rb') as f:
                    argv = f.read()
            except OSError:
                continue
            if argv:
                self.argvs.setdefault((p, argv), True)

    def run(self):
        while not self.stop.is_set():
            self.scan()
            time.sleep(0.02)


class SecretSandbox:
    """wharf-sandbox accepting one extra, random key pair, recording every request."""

    def __init__(self, key_id, secret):
        self.dir = tempfile.mkdtemp(prefix='wharf-secrets-sandbox-')
        self.record = os.path.join(self.dir, 'record.jsonl')
        binary = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'src', 'sandbox', 'wharf-sandbox')
        # The secret goes to the sandbox on stdin-less argv here; the sandbox is not the app
        # under test and its argv is not searched.
        self.proc = subprocess.Popen([binary, '--listen', '127.0.0.1:0', '--seed', 'demo',
                                      '--access-key-id', key_id, '--secret-access-key', secret,
                                      '--record', self.record],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith('Listening on http://127.0.0.1:'):
            raise AssertionError(f'wharf-sandbox did not start: {line!r}')
        self.url = line.split()[-1]

    def requests(self):
        out = []
        try:
            with open(self.record, encoding='utf-8') as f:
                for line in f:
                    try:
                        out.append(json.loads(line))
                    except ValueError:  # a line being written
                        pass
        except FileNotFoundError:
            pass
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc.stdout.close()
        subprocess.run(['rm', '-rf', self.dir], check=False)


def search_tree(root, needles, hits):
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            for what, forms in needles.items():
                if any(form in data for form in forms):
                    hits.append(f'{what} in {path}')


def search(root, pred):
    """Depth-first, not into tables (a column view's cells are thousands of AT-SPI calls)."""
    stack = [root]
    while stack:
        node = stack.pop()
        try:
            if pred(node):
                return node
            if node.roleName in ('tree table', 'table'):
                continue
            stack.extend(node.children)
        except Exception:  # nodes come and go while the UI changes
            continue
    return None


def click(root, name, timeout=10.0):
    node = wharfui.wait_for(lambda: search(root, lambda n: n.roleName in wharfui.BUTTON
                                           and 'click' in n.actions and n.sensitive
                                           and wharfui.norm(n.name) == name),
                            timeout, f'button {name!r}')
    node.doActionNamed('click')


def exercise(app, sandbox, ecr_names, fake_log):
    """Lists the repositories, opens three of them (their images and details load), opens
    the push commands and logs the fake Docker in. Returns what it did."""
    done = []
    win = app.window()
    wharfui.wait_for(lambda: search(win, lambda n: n.roleName == 'label'
                                    and wharfui.norm(n.name) in ecr_names),
                     30, 'a repository of the sandbox in the sidebar')
    done.append('repositories listed')
    for name in sorted(ecr_names)[:3]:
        label = wharfui.wait_for(lambda: search(win, lambda n: n.roleName == 'label'
                                                and wharfui.norm(n.name) == name),
                                 10, f'the row of {name}')
        label.parent.select()
        # The page loaded its images: the sandbox answered DescribeImages for it.
        wharfui.wait_for(lambda: any(r['operation'] == 'DescribeImages'
                                     and f'"repositoryName":"{name}"' in
                                     r['request']['body'].replace(' ', '')
                                     for r in sandbox.requests()),
                         20, f'DescribeImages for {name}')
        done.append(f'opened {name}')
    dialog = None
    for attempt in range(3):
        click(win, 'Push Commands')
        try:
            dialog = wharfui.wait_for(lambda: [c for c in app.app.children
                                               if c.roleName == 'frame'
                                               and c.name == 'Push Commands'], 10,
                                      'the Push Commands dialog')[0]
            break
        except AssertionError:
            continue
    assert dialog is not None, 'the Push Commands dialog did not open'
    done.append('push commands')
    # "Log In" for Docker first (the fake docker is first on PATH), then Podman's.
    click(dialog, 'Log In', timeout=15)
    wharfui.wait_for(lambda: os.path.exists(fake_log) and os.path.getsize(fake_log) > 0,
                     30, 'the fake docker to be run')
    done.append('docker login')
    return done


def main():
    key_id = 'AKIASECRETSTEST' + secrets.token_hex(3).upper()[:5]
    secret = 'wharf/secrets-test/' + secrets.token_urlsafe(24)
    token = 'IQoJb3JpZ2luX2VjE' + secrets.token_urlsafe(96)
    home = os.environ.get('WHARF_TEST_HOME') or os.environ['HOME']
    roots = [home] + [os.environ[v] for v in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME',
                                              'XDG_CACHE_HOME', 'XDG_STATE_HOME',
                                              'XDG_RUNTIME_DIR') if os.environ.get(v)]
    needles = {'secret access key': variants(secret), 'session token': variants(token)}
    logdir = tempfile.mkdtemp(prefix='wharf-secrets-log-')
    log_path = os.path.join(logdir, 'wharf.log')
    fake_log = os.path.join(logdir, 'fake-docker.jsonl')

    sandbox = SecretSandbox(key_id, secret)
    try:
        import botocore.session
        ecr = botocore.session.get_session().create_client(
            'ecr', region_name=REGION, endpoint_url=sandbox.url,
            aws_access_key_id=key_id, aws_secret_access_key=secret)
        names = {r['repositoryName'] for r in ecr.describe_repositories()['repositories']}
        assert names, 'the demo seed has no repositories'

        env = {
            'AWS_ACCESS_KEY_ID': key_id,
            'AWS_SECRET_ACCESS_KEY': secret,
            'AWS_SESSION_TOKEN': token,
            'AWS_ENDPOINT_URL_ECR': sandbox.url,
            'AWS_REGION': REGION,
            'G_MESSAGES_DEBUG': 'all',
            'PATH': FAKE_BIN + os.pathsep + os.environ.get('PATH', ''),
            'WHARF_FAKE_TOOL_LOG': fake_log,
        }
        start = len(sandbox.requests())
        with open(log_path, 'wb') as logfile:
            saved = os.dup(1), os.dup(2)
            os.dup2(logfile.fileno(), 1)
            os.dup2(logfile.fileno(), 2)
            try:
                app = wharfui.App(extra_env=env)
            finally:
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
            watcher = ChildWatcher(app.proc.pid)
            watcher.start()
            try:
                done = exercise(app, sandbox, names, fake_log)
                log('flows:', ', '.join(done))
            finally:
                app.quit()
                watcher.stop.set()
                watcher.join()

        # The app did use these credentials: signed with the key id, sent the token.
        used = [r for r in sandbox.requests()[start:]
                if any(k.lower() == 'authorization' and key_id in v
                       for k, v in r['request']['headers'])]
        assert used, 'the app sent no request signed with the test key pair'
        assert all(any(k.lower() == 'x-amz-security-token' and v == token
                       for k, v in r['request']['headers']) for r in used), \
            'a request signed with the test keys lacks the session token'
        log(f'{len(used)} signed requests carried the session token')

        # The registry password Wharf got from ECR reached docker on stdin only; it is a
        # secret too.
        with open(fake_log, encoding='utf-8') as f:
            logins = [json.loads(line) for line in f]
        assert any(entry['argv'][1:2] == ['login'] for entry in logins), logins
        for entry in logins:
            if entry.get('stdin'):
                needles['registry password'] = variants(entry['stdin'].strip())
        assert 'registry password' in needles, 'docker login got no password on stdin'

        # The search itself finds a planted copy (so an empty result means something).
        canary = []
        with open(os.path.join(logdir, 'canary'), 'w') as f:
            f.write('x' + token.replace('/', '\\/') + 'x')
        search_tree(logdir, {'session token': needles['session token']}, canary)
        assert canary, 'the search does not find a planted token'
        os.unlink(os.path.join(logdir, 'canary'))

        hits = []
        for root in roots:
            search_tree(root, needles, hits)
        with open(log_path, 'rb') as f:
            data = f.read()
        log(f'captured log: {len(data)} bytes, '
            f'{data.count(b"DEBUG")} debug lines')
        for what, forms in needles.items():
            if any(form in data for form in forms):
                hits.append(f'{what} in the app\'s debug log ({log_path})')
        for (pid, argv) in watcher.argvs:
            for what, forms in needles.items():
                if any(form in argv for form in forms):
                    shown = argv.replace(b'\0', b' ')[:200]
                    hits.append(f'{what} in the argv of child {pid}: {shown!r}')
        log(f'{len(watcher.argvs)} child processes seen, {len(roots)} folders searched')
        if hits:
            print('\n'.join('LEAK: ' + h for h in hits))
            return 1
        print('ok: neither the secret access key, the session token nor the registry password '
              'appears in files, logs or child argv')
        subprocess.run(['rm', '-rf', logdir], check=False)
        return 0
    finally:
        sandbox.stop()


if __name__ == '__main__':
    sys.exit(main())
