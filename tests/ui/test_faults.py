#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real app against the sandbox's fault injection (issue #10, "Faults").

One app run goes through every fault of the repository sidebar in turn (the sandbox applies
a fault to the first matching requests, first added first): a clock an hour off and two
throttled answers, then two 500s, are retried without a word; 500 until the attempts run
out, a reset connection, a truncated answer, JSON that is not, an HTML error page and access
denied each end in the sidebar's error state with a message in words and a Retry that works
once the fault is spent; an expired token shows the credentials banner. The images of a
repository keep the first page when the second fails and Retry goes on from there. The
repository wizard keeps every value through a refused creation. A repository deleted
elsewhere while it is shown is dropped with a message, whether it is reloaded, deleted, a
setting is switched or its lifecycle policy is saved.
A second run (10,000 repositories) fails the sidebar's second page: the first page's rows
stay with a message in the sidebar whose Retry goes on from the page that failed.
A third run shortens the request timeout (WHARF_REQUEST_TIMEOUT_MS) against slow answers.
After each fault the app still answers (search filters the sidebar), and the run fails on
any critical or warning the app logs (wharfui.App.quit)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import (BUTTON, activate, click, entry, find, keys, label_containing,  # noqa: E402
                     row_names, select_row, text_of, wait_for, wait_showing, window_named)

wharfui.require_session()

OP = 'DescribeRepositories'

# In the order the sandbox hands them out, request by request, for each operation; a
# 1 ms delay is an ordinary answer that ends a group.
SIDEBAR_FAULTS = [
    f'throttle:{OP}:2',        # start: retried,
    f'delay=1:{OP}:1',         # then listed
    f'500:{OP}:2',             # F5: retried,
    f'delay=1:{OP}:1',         # then listed
    f'500:{OP}:3',             # F5: every attempt fails
    f'reset:{OP}:3',           # Retry
    f'truncate:{OP}:3',        # Retry
    f'invalid-json:{OP}:1',    # Retry (a 200 that cannot be read is not sent again)
    f'html:{OP}:3',            # Retry
    f'access-denied:{OP}:1',   # Retry
    f'expired-token:{OP}:1',   # Retry
]
IMAGES_FAULTS = [
    'delay=1:DescribeImages:1',   # the first page, answered as usual
    '500:DescribeImages:3',       # the second page, every attempt
]
WIZARD_FAULTS = ['500:CreateRepository:3']


START = time.monotonic()


def log(*args):
    print(f'# {time.monotonic() - START:5.1f}s', *args, flush=True)


class FaultSandbox(wharfui.Sandbox):
    """wharfui.Sandbox with faults that also records every exchange (--record), so that the
    test can tell how often the app asked."""

    def __init__(self, seed, faults):
        self.dir = tempfile.mkdtemp(prefix='wharf-sandbox-')
        self.state = os.path.join(self.dir, 'state.json')
        self.record = os.path.join(self.dir, 'record.jsonl')
        self.region = 'us-east-1'
        self.access_key_id = wharfui.PRACTICE_ACCESS_KEY_ID
        self.secret_access_key = wharfui.PRACTICE_SECRET_ACCESS_KEY
        self.account_id = wharfui.PRACTICE_ACCOUNT_ID
        binary = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'src', 'sandbox', 'wharf-sandbox')
        args = [binary, '--listen', '127.0.0.1:0', '--seed', seed, '--state', self.state,
                '--record', self.record]
        for fault in faults:
            args += ['--fault', fault]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        import atexit
        atexit.register(self.stop)
        line = self.proc.stdout.readline().strip()
        if not line.startswith('Listening on http://127.0.0.1:'):
            raise AssertionError(f'wharf-sandbox did not start: {line!r}')
        self.url = line.split()[-1]
        self.seen = {}

    def exchanges(self, operation):
        """Every recorded exchange of `operation`: (HTTP status or None for a reset, fault
        kind or None, AWS error code or None)."""
        out = []
        with open(self.record, encoding='utf-8') as f:
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)
                if r.get('operation') != operation:
                    continue
                response = r.get('response')
                code = None
                if response and response.get('status', 200) >= 400:
                    try:
                        code = json.loads(response['body']).get('__type')
                    except (ValueError, AttributeError):
                        code = None
                out.append((response['status'] if response else None, r.get('fault'), code))
        return out

    def new_exchanges(self, operation):
        """The exchanges of `operation` since the last call."""
        every = self.exchanges(operation)
        start = self.seen.get(operation, 0)
        self.seen[operation] = len(every)
        return every[start:]


def sidebar_list(win):
    return find(win, 'Repositories', 'list')


def still_responds(win, want):
    """The app answers after a fault: search filters the sidebar, and clearing it brings
    every repository back."""
    keys('<Control>f')
    search = find(win, 'Search repositories', 'entry')
    search.text = 'team-b'
    wait_for(lambda: row_names(sidebar_list(win)) == [n for n in want if 'team-b' in n], 10,
             'the search to filter the sidebar')
    search.text = ''
    wait_for(lambda: row_names(sidebar_list(win)) == want, 10, 'every repository again')


def search_still_works(win):
    """In the error state there is nothing to filter; the search field still takes text."""
    keys('<Control>f')
    search = find(win, 'Search repositories', 'entry')
    search.text = 'typed'
    wait_for(lambda: text_of(search) == 'typed', 5, 'the search field to take text')
    search.text = ''


def error_state(win, words, what):
    """The sidebar's error state with a description containing `words`; returns it."""
    panel = wait_showing(win, 'Could Not Load Repositories', 'panel', timeout=40)
    label = wait_for(lambda: panel.findChild(
        lambda n: n.roleName == 'label' and words in (n.name or ''), retry=False,
        requireResult=False), 40, f'the error state for {what} ({words!r})')
    return panel, label.name


def expect(sandbox, operation, want, what):
    got = wait_for(lambda: (e := sandbox.new_exchanges(operation)) and e, 10,
                   f'{operation} requests for {what}')
    assert got == want, f'{what}: the app sent {operation} {len(got)} times: {got}, not {want}'


def retry(win):
    panel = wait_showing(win, 'Could Not Load Repositories', 'panel')
    click(find(panel, 'Retry', BUTTON))


def expected_names(sandbox):
    names = []
    for page in sandbox.ecr().get_paginator('describe_repositories').paginate():
        names += [r['repositoryName'] for r in page['repositories']]
    return sorted(names)


def seeded_names(seed):
    """The repositories a fresh sandbox with `seed` lists (asked of one without faults:
    botocore's requests would use up the faults meant for the app)."""
    with FaultSandbox(seed, []) as clean:
        return expected_names(clean)


def sidebar(win, app, sandbox):
    want = seeded_names('big')
    lst = sidebar_list(win)

    # --- A clock an hour ahead, then two throttled answers: retried, then listed ---
    wait_for(lambda: row_names(lst) == want, 60, 'the repositories after a wrong clock and '
                                                 'two throttled answers')
    assert wharfui.showing(win, 'Could Not Load Repositories', 'panel') is None or \
        not wharfui.showing(win, 'Could Not Load Repositories', 'panel').showing
    skewed = (403, None, 'InvalidSignatureException')
    throttled = (400, 'throttle', 'ThrottlingException')
    expect(sandbox, OP, [skewed, throttled, throttled, (200, None, None)],
           'a wrong clock and throttling')
    still_responds(win, want)
    log('clock skew corrected and throttling retried: listed', len(want))

    # --- Two 500s: retried, then listed ---
    keys('F5')
    wait_for(lambda: len(sandbox.exchanges(OP)) >= 7 and row_names(sidebar_list(win)) == want,
             60, 'the repositories after two 500s')
    server = (500, '500', 'ServerException')
    expect(sandbox, OP, [server, server, (200, None, None)], '500 twice')
    search_still_works(win)
    log('500 twice: retried and listed')

    # --- Every attempt fails: the error state in words, then Retry ---
    steps = [
        ('500 until the attempts ran out', 'We encountered an internal error', [server] * 3),
        ('a reset connection', 'Could not reach 127.0.0.1', [(None, 'reset', None)] * 3),
        ('a truncated answer', 'The answer from 127.0.0.1 was cut off',
         [(200, 'truncate', None)] * 3),
        ('JSON that is not', 'a response that is not valid JSON', [(200, 'invalid-json', None)]),
        ('an HTML error page', 'HTTP 502', [(502, 'html', None)] * 3),
        ('access denied', 'is not authorized to perform: ecr:DescribeRepositories',
         [(400, 'access-denied', 'AccessDeniedException')]),
    ]
    keys('F5')
    for n, (what, words, exchanges) in enumerate(steps):
        panel, message = error_state(win, words, what)
        expect(sandbox, OP, exchanges, what)
        app.screenshot(f'faults-sidebar-{n + 1}', win)
        words_only = re.sub(r'\([^)]*\)', '', message)
        assert not any(c in message for c in ('{', '<')) and len(words_only.split()) >= 4, \
            f'{what}: the message is not in words: {message!r}'
        search_still_works(win)
        log(f'{what}: {message!r}')
        retry(win)

    # --- An expired token: the credentials banner, then Retry lists ---
    banner = label_containing(win, 'The security token included in the request is expired', 30)
    log('expired token:', banner.name)
    expect(sandbox, OP, [(400, 'expired-token', 'ExpiredTokenException')], 'an expired token')
    app.screenshot('faults-sidebar-expired-token', win)
    retry(win)
    wait_for(lambda: row_names(sidebar_list(win)) == want, 30, 'the list once the faults are spent')
    expect(sandbox, OP, [(200, None, None)], 'the Retry after the expired token')
    still_responds(win, want)
    log('every sidebar fault ends in a message with a Retry that works')
    return want


def count_label(win, text, timeout=60):
    return wait_for(lambda: win.findChild(lambda n: n.roleName == 'label' and n.name == text,
                                          retry=False, requireResult=False),
                    timeout, f'the count {text!r}')


def open_repository(win, name):
    select_row(sidebar_list(win), name)


def images(win, app, sandbox):
    from dogtail.config import config
    config.childrenLimit = 2000
    # --- The second page fails three times: the first page stays, Retry goes on ---
    open_repository(win, 'big')
    count_label(win, '1,000 images', 90)
    banner = label_containing(win, 'Not every image could be loaded', 30)
    assert 'We encountered an internal error' in banner.name, banner.name
    expect(sandbox, 'DescribeImages', [(200, None, None)] + [(500, '500', 'ServerException')] * 3,
           'the second page failing')
    app.screenshot('faults-images-partial', win)
    log('images: first page kept:', banner.name)
    # The banner's own button (searching the whole window would walk 1,000 rows).
    retry_button = wait_for(lambda: banner.parent.findChild(
        lambda n: n.roleName in BUTTON and wharfui.norm(n.name).startswith('Retry Loading Images'),
        retry=False, requireResult=False), 10, 'the Retry Loading Images button')
    log('images: the banner’s button is called', repr(retry_button.name))
    click(retry_button)
    count_label(win, '10,000 images', 120)
    wait_for(lambda: not banner.showing, 10, 'the banner to go away')
    log('images: Retry went on to 10,000')
    # An empty repository next: 10,000 rows would make every later search of the window slow.
    open_repository(win, 'legacy/monolith')
    wait_showing(win, 'No Images Yet', timeout=30)
    config.childrenLimit = 100


def wizard(win, app, sandbox):
    name = 'team-c/after-faults'
    click(find(win, 'New Repository', BUTTON))
    dialog = window_named(app, 'New Repository')
    next_button = find(dialog, 'Next', BUTTON)
    entry(dialog, 'Repository name').text = name
    label_containing(dialog, 'can be used')
    wait_for(lambda: next_button.sensitive, 5, 'Next to be enabled')
    click(next_button)
    select_row(find(dialog, 'Tag immutability', 'list'), 'Immutable')
    click(find(dialog, 'Add Exception', BUTTON))
    entry(dialog, 'Exception 1').text = 'latest'
    click(next_button)
    click(next_button)
    click(next_button)
    click(find(dialog, 'Add Resource Tag', BUTTON))
    entry(dialog, 'Tag key').text = 'team'
    entry(dialog, 'Tag value').text = 'payments'
    click(next_button)
    create = find(dialog, 'Create', BUTTON)
    click(create)
    refusal = label_containing(dialog, 'was not created', timeout=40)
    assert 'We encountered an internal error' in refusal.name, refusal.name
    expect(sandbox, 'CreateRepository', [(500, '500', 'ServerException')] * 3,
           'CreateRepository failing')
    assert sandbox.repository(name) is None
    assert text_of(entry(dialog, 'Repository name')) == name
    assert text_of(entry(dialog, 'Exception 1')) == 'latest'
    assert text_of(entry(dialog, 'Tag key')) == 'team'
    assert text_of(entry(dialog, 'Tag value')) == 'payments'
    app.screenshot('faults-wizard-refused', dialog)
    log('wizard: refused with', repr(refusal.name), 'and every value kept')
    wait_for(lambda: create.sensitive, 10, 'Create to be enabled again')
    click(create)
    repo = wait_for(lambda: sandbox.repository(name), 30, 'the repository in the sandbox')
    assert repo['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION', repo
    tags = sandbox.ecr().list_tags_for_resource(resourceArn=repo['repositoryArn'])['tags']
    assert tags == [{'Key': 'team', 'Value': 'payments'}], tags
    wait_for(lambda: name in row_names(sidebar_list(win)), 20, 'the new repository listed')
    log('wizard: created once the fault was spent')
    return name


def no_label_starting(win, text):
    return win.findChild(lambda n: n.roleName == 'label' and (n.name or '').startswith(text),
                         retry=False, requireResult=False) is None


def deleted_elsewhere(win, app, sandbox, want):
    ecr = sandbox.ecr()

    def gone(name, what):
        message = f'The repository “{name}” no longer exists. It was deleted elsewhere.'
        label_containing(win, message, 30)
        wait_for(lambda: name not in row_names(sidebar_list(win)), 10,
                 f'{name} to leave the sidebar')
        wait_for(lambda: (p := wharfui.showing(win, 'Reload Images', BUTTON)) is None
                 or not p.showing, 10, 'the stale images to go away')
        app.screenshot(f'faults-gone-{what}', win)
        log(f'{what}: {message!r}; dropped from the sidebar')

    # --- Reloading the images of a repository deleted elsewhere ---
    open_repository(win, 'team-a/api')
    wait_for(lambda: win.findChild(lambda n: n.roleName == 'label' and
                                   (n.name or '').endswith(' images'), retry=False,
                                   requireResult=False), 30, 'the images of team-a/api')
    ecr.delete_repository(repositoryName='team-a/api', force=True)
    click(find(win, 'Reload Images', BUTTON))
    gone('team-a/api', 'reload')

    # --- Deleting a repository that was deleted elsewhere ---
    open_repository(win, 'team-b/ledger')
    click(wait_showing(win, 'Settings', 'page tab'))
    delete = find(win, 'Delete Repository…', BUTTON)
    ecr.delete_repository(repositoryName='team-b/ledger', force=True)
    activate(delete)
    gone('team-b/ledger', 'delete')

    # --- Switching a setting of a repository deleted elsewhere ---
    open_repository(win, 'legacy/monolith')
    click(wait_showing(win, 'Settings', 'page tab'))
    scan = find(win, 'Scan on push', ('switch', 'toggle button', 'check box'))
    ecr.delete_repository(repositoryName='legacy/monolith', force=True)
    activate(scan)
    gone('legacy/monolith', 'settings')
    assert no_label_starting(win, 'Scan on push was not changed'), \
        'a refusal for a repository that is gone'

    # --- Saving the lifecycle policy of a repository deleted elsewhere ---
    open_repository(win, 'team-a/worker')
    click(wait_showing(win, 'Lifecycle', 'page tab'))
    bar = wait_showing(win, 'Edit Lifecycle Policy As', 'page tab list').parent
    click(find(win, 'Add Rule', BUTTON))
    # GTK 4.8 appends the label to the button's name: "Save Lifecycle Policy Save".
    save = wait_for(lambda: bar.findChild(
        lambda n: n.roleName in BUTTON and wharfui.norm(n.name).startswith('Save Lifecycle Policy'),
        retry=False, requireResult=False), 10, 'the Save Lifecycle Policy button')
    wait_for(lambda: save.sensitive, 10, 'Save Lifecycle Policy to be enabled')
    ecr.delete_repository(repositoryName='team-a/worker', force=True)
    click(save)
    gone('team-a/worker', 'lifecycle')
    assert no_label_starting(win, 'ECR refused the policy'), \
        'a refusal for a repository that is gone'
    # The other tabs of a later repository are not left on the gone one's.
    click(wait_showing(win, 'Images', 'page tab'))

    left = [n for n in want if n not in ('team-a/api', 'team-b/ledger', 'legacy/monolith',
                                         'team-a/worker')]
    wait_for(lambda: [n for n in row_names(sidebar_list(win)) if n in left] == left, 10,
             'the other repositories to stay')
    keys('<Control>f')
    search = find(win, 'Search repositories', 'entry')
    search.text = 'team-a'
    wait_for(lambda: row_names(sidebar_list(win)) == [n for n in left if 'team-a' in n], 10,
             'search without the deleted repository')
    search.text = ''


def sidebar_later_page(app, win, sandbox):
    """The second of eleven pages fails every attempt: the first page's rows stay, a message
    in the sidebar says so, and its Retry goes on from the page that failed."""
    message = label_containing(win, 'Not every repository could be loaded', 60)
    assert 'We encountered an internal error' in message.name, message.name
    server = (500, '500', 'ServerException')
    expect(sandbox, OP, [(200, None, None)] + [server] * 3, 'the second page failing')
    rows = row_names(sidebar_list(win))
    assert rows and all(n for n in rows), f'the first page’s rows are not kept: {rows}'
    panel = wharfui.showing(win, 'Could Not Load Repositories', 'panel')
    assert panel is None or not panel.showing, 'the sidebar’s error state instead of the rows'
    app.screenshot('faults-sidebar-partial', win)
    log('sidebar: first page kept:', repr(message.name))
    # The message's own button (a search of the whole window would walk the rows).
    retry_button = wait_for(lambda: message.parent.findChild(
        lambda n: n.roleName in BUTTON and
        wharfui.norm(n.name).startswith('Retry Loading Repositories'),
        retry=False, requireResult=False), 10, 'the Retry Loading Repositories button')
    click(retry_button)
    # 10,000 repositories and the demo seed's few are eleven pages: on from the second, ten
    # more, not the first again.
    wait_for(lambda: len(sandbox.exchanges(OP)) >= 14, 60, 'the remaining pages')
    expect(sandbox, OP, [(200, None, None)] * 10, 'Retry going on from the second page')
    wait_for(lambda: not message.showing, 10, 'the message to go away')
    keys('<Control>f')
    search = find(win, 'Search repositories', 'entry')
    search.text = 'many/repo-09999'
    wait_for(lambda: row_names(sidebar_list(win)) == ['many/repo-09999'], 20,
             'the last repository of the last page')
    search.text = ''
    log('sidebar: Retry went on to the last page')


def main():
    faults = SIDEBAR_FAULTS + IMAGES_FAULTS + WIZARD_FAULTS
    sandbox = FaultSandbox('big', faults)
    try:
        env = dict(sandbox.env(), **wharfui.settings_env({'window-width': 1280,
                                                          'window-height': 800}))
        # The computer's clock an hour ahead: the first request is refused, and the app
        # corrects its clock from the service's Date and asks again.
        env['WHARF_CLOCK_OFFSET_SECONDS'] = '3600'
        app = wharfui.App(extra_env=env)
        try:
            win = app.window()
            want = sidebar(win, app, sandbox)
            # Before anything else lists images: the faults are for the first requests.
            images(win, app, sandbox)
            created = wizard(win, app, sandbox)
            deleted_elsewhere(win, app, sandbox, sorted(want + [created]))
        except Exception:
            app.screenshot('faults-failure')
            for operation in (OP, 'DescribeImages', 'CreateRepository'):
                log(operation, 'exchanges:', sandbox.exchanges(operation))
            raise
        finally:
            app.quit()
    finally:
        sandbox.stop()

    # --- The second page of the repositories fails: the first stays, Retry goes on ---
    sandbox = FaultSandbox('many', [f'delay=1:{OP}:1', f'500:{OP}:3'])
    try:
        env = dict(sandbox.env(), **wharfui.settings_env({'window-width': 1280,
                                                          'window-height': 800}))
        app = wharfui.App(extra_env=env)
        try:
            sidebar_later_page(app, app.window(), sandbox)
        except Exception:
            app.screenshot('faults-failure-partial')
            log(OP, 'exchanges:', sandbox.exchanges(OP))
            raise
        finally:
            app.quit()
    finally:
        sandbox.stop()

    # --- A service slower than the request timeout: retried, then the message ---
    sandbox = FaultSandbox('demo', [f'delay=5000:{OP}:3'])
    try:
        env = dict(sandbox.env(), **wharfui.settings_env({'window-width': 1280,
                                                          'window-height': 800}))
        env['WHARF_REQUEST_TIMEOUT_MS'] = '1500'
        app = wharfui.App(extra_env=env)
        try:
            win = app.window()
            _panel, message = error_state(win, 'took longer than 1.5 seconds', 'a timeout')
            # The sandbox records a slow answer once it is sent, after the app gave up.
            wait_for(lambda: len(sandbox.exchanges(OP)) == 3, 20, 'three attempts')
            app.screenshot('faults-sidebar-timeout', win)
            log('timeout:', repr(message))
            search_still_works(win)
            retry(win)
            want = seeded_names('demo')
            wait_for(lambda: row_names(sidebar_list(win)) == want, 30, 'the list after Retry')
            still_responds(win, want)
            log('timeout: Retry lists')
        except Exception:
            app.screenshot('faults-failure-timeout')
            raise
        finally:
            app.quit()
    finally:
        sandbox.stop()


if __name__ == '__main__':
    main()
    print('ok: sidebar, images, wizard and deleted-repository faults; a later sidebar page; '
          'timeout')
