#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window against the sandbox, with the account Wharf's environment gives it
(AWS_ACCESS_KEY_ID/SECRET + AWS_ENDPOINT_URL_ECR + AWS_REGION): the repository sidebar
with the demo data, search, refresh, a repository's page, switching region (remembered
across restarts), the error state with Retry, the narrow layout, 10,000 repositories
streaming in, and the account AWS_PROFILE alone gives (its keys and its region). The
account menu says who the account is signed in as (GetCallerIdentity, checked against
botocore), practice mode's account included."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402
from wharfui import BUTTON, click, find, keys, row_names, select_row, wait_for, wait_showing  # noqa: E402

wharfui.require_session()


def log(*args):
    print('#', *args, flush=True)


def sidebar_list(win):
    return find(win, 'Repositories', 'list')


def caller_identity(sandbox):
    """What STS (the sandbox) says the environment's keys are, asked with botocore."""
    import botocore.session
    sts = botocore.session.get_session().create_client(
        'sts', region_name='us-east-1', endpoint_url=sandbox.url,
        aws_access_key_id=sandbox.access_key_id,
        aws_secret_access_key=sandbox.secret_access_key)
    return sts.get_caller_identity()


def label_named(root, predicate, what, timeout=20):
    return wait_for(lambda: root.findChild(
        lambda n: n.roleName == 'label' and predicate(n.name or ''),
        retry=False, requireResult=False), timeout, what)


MENU_ITEM = ('menu item', 'check menu item', 'radio menu item')


def open_account_menu(app, win):
    click(find(win, 'Account', BUTTON))
    return find(app.app, 'Add Account…', MENU_ITEM)  # the menu is open


def expected_names(sandbox, region):
    ecr = sandbox.ecr(region)
    names = []
    for page in ecr.get_paginator('describe_repositories').paginate():
        names += [r['repositoryName'] for r in page['repositories']]
    return sorted(names)


sandbox = wharfui.Sandbox(seed='demo')
try:
    sandbox.ecr('eu-west-1').create_repository(repositoryName='only-in-eu/app')
    settings = wharfui.settings_env({'window-width': 1280, 'window-height': 800})
    env = dict(sandbox.env('us-east-1'), **settings)

    # --- The environment's account, at once, with the demo repositories ---
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        account = find(win, 'Account', BUTTON)
        wait_for(lambda: account.description == 'Environment (AKIA…E001)', 10,
                 'the environment account')
        lst = sidebar_list(win)
        want = expected_names(sandbox, 'us-east-1')
        assert len(want) >= 10, want
        wait_for(lambda: row_names(lst) == want, 20, f'the sorted demo repositories {want}')
        log('sidebar lists', len(want), 'repositories in name order')
        region = find(win, 'Region', BUTTON)
        assert region.description == 'US East (N. Virginia) — us-east-1', region.description
        app.screenshot('window-sidebar', win)

        # --- The account menu says who the keys belong to, as STS reports it ---
        who = caller_identity(sandbox)
        assert who['Account'] == sandbox.account_id, who
        open_account_menu(app, win)
        label_named(app.app, lambda n: n == who['Arn'], f"the ARN {who['Arn']} in the menu")
        label_named(app.app, lambda n: n == f"Account {who['Account']}", 'the account id')
        label_named(app.app, lambda n: n == 'Signed in as', 'the heading')
        app.screenshot('window-account-menu')
        keys('Escape')
        log('account menu: signed in as', who['Arn'])

        # --- Search as you type ---
        keys('<Control>f')
        entry = find(win, 'Search repositories', 'entry')
        entry.text = 'team-a'
        wait_for(lambda: row_names(lst) == [n for n in want if 'team-a' in n], 10, 'team-a matches')
        app.screenshot('window-search', win)
        entry.text = 'no-such-thing'
        wait_for(lambda: row_names(lst) == [], 10, 'no rows for a search without matches')
        wait_showing(win, 'No Matching Repositories')
        app.screenshot('window-search-empty', win)
        entry.text = ''
        wait_for(lambda: row_names(lst) == want, 10, 'every repository again')
        log('search filters as you type')

        # --- A repository's page and its settings ---
        select_row(lst, 'team-a/api')
        click(wait_showing(win, 'Settings', 'page tab'))
        uri = sandbox.repository('team-a/api')['repositoryUri']
        wait_showing(win, uri, 'label')
        app.screenshot('repository-settings', win)
        log('repository page shows', uri)

        # --- Refresh (F5) picks up a repository made elsewhere ---
        sandbox.ecr('us-east-1').create_repository(repositoryName='made-elsewhere')
        keys('F5')
        wait_for(lambda: 'made-elsewhere' in row_names(sidebar_list(win)), 20, 'the refreshed list')
        log('F5 refreshes')

        # --- Switching region ---
        click(region)
        click(find(app.app, 'Europe (Ireland) — eu-west-1'))
        wait_for(lambda: region.description == 'Europe (Ireland) — eu-west-1', 10,
                 'the region button to say eu-west-1')
        wait_for(lambda: 'only-in-eu/app' in row_names(sidebar_list(win)), 20,
                 'the repositories of eu-west-1')
        assert 'made-elsewhere' not in row_names(sidebar_list(win))
        log('region switch lists eu-west-1')
    finally:
        app.quit()

    # --- The region is remembered ---
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        region = find(win, 'Region', BUTTON)
        wait_for(lambda: region.description == 'Europe (Ireland) — eu-west-1', 10,
                 'eu-west-1 remembered')
        wait_for(lambda: 'only-in-eu/app' in row_names(sidebar_list(win)), 20,
                 'eu-west-1 again after a restart')
        log('region remembered')
    finally:
        app.quit()

    # --- Narrow window: the sidebar, then a repository ---
    narrow = dict(sandbox.env('us-east-1'), **wharfui.settings_env({'window-width': 360,
                                                                    'window-height': 720}))
    app = wharfui.App(extra_env=narrow)
    try:
        win = app.window()
        lst = sidebar_list(win)
        wait_for(lambda: 'team-a/web' in row_names(lst), 20, 'the list in a narrow window')
        assert win.size[0] <= 360, f'the window is {win.size[0]} px wide, not 360'
        app.screenshot('window-narrow-sidebar', win)
        select_row(lst, 'team-a/web')
        click(wait_showing(win, 'Settings', 'page tab'))
        wait_showing(win, sandbox.repository('team-a/web')['repositoryUri'], 'label')
        assert win.size[0] <= 360, f'a repository widened the window to {win.size[0]} px'
        app.screenshot('window-narrow-repository', win)
        # The images fit instead of scrolling sideways: the least needed columns make way.
        click(wait_showing(win, 'Images', 'page tab'))
        table = wait_for(lambda: win.findChild(
            lambda n: n.roleName == 'tree table' and n.name == 'Images', retry=False,
            requireResult=False), 20, 'the images table')

        def header(title):
            return table.findChild(lambda n: n.roleName == 'label' and n.name == title,
                                   retry=False, requireResult=False)
        def shown(title):
            # GTK 4.8 does not keep "showing" right across stack pages; a hidden column's
            # header has no size.
            h = header(title)
            return h is not None and h.size[0] > 0

        def headers():
            return [(n.name, n.showing, tuple(n.size)) for n in
                    table.findChildren(lambda n: n.roleName == 'label', recursive=True)][:12]
        wait_for(lambda: shown('Tags'), 10, 'the Tags column in a narrow window')
        assert shown('Vulnerabilities'), \
            f'the Vulnerabilities column is hidden in a narrow window: {headers()}'
        for column in ('Digest', 'Size', 'Pushed', 'Last Pull', 'Type'):
            assert not shown(column), \
                f'the {column} column is still shown in a 360 px window: {headers()}'
        app.screenshot('window-narrow-images', win)
        log('narrow layout navigates')
    finally:
        app.quit()
finally:
    sandbox.stop()

# --- A failure to list: the AWS message and Retry ---
sandbox = wharfui.Sandbox(seed='demo', faults=['access-denied:DescribeRepositories:1'])
try:
    env = dict(sandbox.env('us-east-1'), **wharfui.settings_env({'window-width': 1280,
                                                                 'window-height': 800}))
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        error_page = wait_showing(win, 'Could Not Load Repositories', 'panel')
        app.screenshot('window-error', win)
        click(find(error_page, 'Retry', BUTTON))
        wait_for(lambda: 'team-a/api' in row_names(sidebar_list(win)), 20, 'the list after Retry')
        log('error state retries')
    finally:
        app.quit()
finally:
    sandbox.stop()

# --- 10,000 repositories stream in; the list stays at its top and search finds the last ---
sandbox = wharfui.Sandbox(seed='many')
try:
    env = dict(sandbox.env('us-east-1'), **wharfui.settings_env({'window-width': 1280,
                                                                 'window-height': 800}))
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        lst = sidebar_list(win)
        wait_for(lambda: row_names(lst)[:3] == ['data/etl-jobs', 'legacy/monolith',
                                               'many/repo-00000'], 60, 'the top of the list')
        keys('<Control>f')
        find(win, 'Search repositories', 'entry').text = 'repo-09999'
        wait_for(lambda: row_names(lst) == ['many/repo-09999'], 60, 'the 10,000th repository')
        app.screenshot('window-many', win)
        log('10,000 repositories listed and searchable')
    finally:
        app.quit()
finally:
    sandbox.stop()

# --- AWS_PROFILE alone: the profile's keys and region, as the AWS CLI would use them ---
sandbox = wharfui.Sandbox(seed='demo')
try:
    config = os.environ['AWS_CONFIG_FILE']
    os.makedirs(os.path.dirname(config), exist_ok=True)
    with open(config, 'w') as f:
        f.write('[profile work]\nregion = eu-west-1\n'
                f'aws_access_key_id = {sandbox.access_key_id}\n'
                f'aws_secret_access_key = {sandbox.secret_access_key}\n')
    sandbox.ecr('eu-west-1').create_repository(repositoryName='only-in-eu/app')
    env = dict(wharfui.settings_env({'window-width': 1280, 'window-height': 800}),
               AWS_PROFILE='work', AWS_ENDPOINT_URL_ECR=sandbox.url,
               AWS_ENDPOINT_URL_STS=sandbox.url)
    app = wharfui.App(extra_env=env)
    try:
        win = app.window()
        account = find(win, 'Account', BUTTON)
        region = find(win, 'Region', BUTTON)
        wait_for(lambda: account.description == 'Profile “work”', 10, 'the AWS_PROFILE account')
        wait_for(lambda: region.description == 'Europe (Ireland) — eu-west-1', 10,
                 'the profile’s region')
        wait_for(lambda: 'only-in-eu/app' in row_names(sidebar_list(win)), 20,
                 'the profile’s repositories')
        log('AWS_PROFILE account in its region')

        # --- Practice mode's account says so in the menu ---
        open_account_menu(app, win)
        click(find(app.app, 'Practice without AWS', MENU_ITEM))
        wait_for(lambda: account.description == 'Practice', 20, 'the practice account')
        open_account_menu(app, win)
        label_named(app.app, lambda n: n == f'Account {wharfui.PRACTICE_ACCOUNT_ID}',
                    'the practice account id')
        label_named(app.app, lambda n: n.startswith(f'arn:aws:iam::{wharfui.PRACTICE_ACCOUNT_ID}:'),
                    'the practice ARN')
        app.screenshot('window-account-menu-practice')
        keys('Escape')
        log('practice account in the menu')
    finally:
        app.quit()
    os.unlink(config)
finally:
    sandbox.stop()

print('ok: sidebar, who is signed in, search, refresh, repository page, region switch, narrow, '
      'retry, 10,000, AWS_PROFILE, practice account')
