#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Practice mode and the tutorial, through AT-SPI: practice starts from the welcome page
and says it is not AWS; the tutorial is completed step by step against practice mode (the
sandbox runs inside the app); after a restart it opens where it was left; the good habits
really reach the practice registry; resetting practice data (after a confirmation) brings
back the demo state. Steps 3 to 5 use the real podman against the practice registry: Wharf
logs it in, the test runs the build, tag and push commands the tutorial shows, the tutorial
checks the digest that arrived, and "Pull Now" pulls it (private podman storage in a temp
dir, vfs, never a container run). Screenshots of each step:
$WHARF_BUILD_ROOT/screenshots/tutorial-*."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402

wharfui.require_session()

REPOSITORY = 'hello-app'
OTHER_ACCOUNT = '444455556666'
BUTTON = wharfui.BUTTON


def log(*args):
    print('#', *args, flush=True)


def click(node):
    for action in ('click', 'toggle', 'activate'):
        if action in node.actions:
            node.doActionNamed(action)
            return
    raise AssertionError(f'{node.roleName} {node.name!r} cannot be clicked: {list(node.actions)}')


def label(root, pattern, timeout=20.0):
    """Waits for a label (or any node) whose name matches the regular expression. GTK 4.8
    reports no "showing" state and lists hidden stack pages too: match texts that only
    exist while they are on screen (the step counter, the check line)."""
    rx = re.compile(pattern)
    try:
        return wharfui.wait_for(
            lambda: root.findChild(lambda n: rx.search(wharfui.norm(n.name) or '') is not None,
                                   retry=False, requireResult=False),
            timeout, f'a node matching {pattern!r}')
    except AssertionError:
        # What was there instead, for the log.
        for n in root.findChildren(lambda n: rx.search(wharfui.norm(n.name) or '') is not None):
            print('candidate', n.roleName, repr(n.name), n.getState().getStates(), file=sys.stderr)
        wharfui.dump(root, out=sys.stderr)
        raise


def button(root, name, timeout=20.0):
    """A clickable control by its accessible label. GTK 4.8 appends the visible label
    ("Create Repository Create Repository…"): accept that too."""
    def pred(n):
        if n.roleName not in BUTTON + ('switch', 'check box') or not (set(n.actions) & {'click', 'toggle', 'activate'}):
            return False
        name_ = wharfui.norm(n.name)
        return name_ == name or name_.startswith(name + ' ')
    try:
        return wharfui.wait_for(lambda: root.findChild(pred, retry=False, requireResult=False),
                                timeout, f'the button {name!r}')
    except AssertionError:
        for n in root.findChildren(lambda n: name in (n.name or '')):
            print('candidate', n.roleName, repr(n.name), list(n.actions), file=sys.stderr)
        wharfui.dump(root, out=sys.stderr)
        raise


def frame(app, name, timeout=20.0):
    def find():
        for child in app.app.children:
            if child.roleName in ('frame', 'window', 'dialog', 'filler') and child.name == name:
                return child
        return None
    try:
        return wharfui.wait_for(find, timeout, f'the window {name!r}')
    except AssertionError:
        print('windows:', [(c.roleName, c.name) for c in app.app.children], file=sys.stderr)
        app.screenshot('tutorial-failure')
        raise


def gone(app, name):
    return all(child.name != name for child in app.app.children)


def type_into(node, text):
    """Replaces an entry's text through AT-SPI's EditableText (GTK 4.8 cannot take focus
    through AT-SPI, but it does emit "changed" as typing would)."""
    node.text = text


def entry(root, name):
    """The text field of an entry row by its accessible label (GTK 4.8 appends the row's
    title to it)."""
    def pred(n):
        return n.roleName == 'text' and (n.name == name or n.name.startswith(name + ' '))
    return wharfui.wait_for(lambda: root.findChild(pred, retry=False, requireResult=False),
                            10, f'the entry {name!r}')


def open_tutorial(app, win):
    menu = button(win, 'Main Menu')
    click(menu)
    item = wharfui.find(app.app, 'Tutorial', ('menu item', 'push button', 'button'), clickable=True)
    click(item)
    return frame(app, 'Tutorial')


def shot(app, name, window, whole_screen=False):
    """A screenshot of `window` (or of the whole screen) once AT-SPI reports the window on
    screen. The image is for people: no assertion depends on it."""
    wharfui.on_screen(window, 10, f'the window {window.name!r} on screen')
    app.screenshot(name, None if whole_screen else window)


def read_state(path):
    """The practice state file, once it can be read whole (the app may be writing it)."""
    def load():
        with open(path) as f:
            return (json.load(f),)
    return wharfui.wait_for(load, 10, f'a readable {path}')[0]


def find_repository(state, name):
    def walk(node):
        if isinstance(node, dict):
            if node.get('name') == name and 'tagMutability' in node:
                return node
            for value in node.values():
                found = walk(value)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for value in node:
                found = walk(value)
                if found is not None:
                    return found
        return None
    return walk(state)


def private_podman(tmp):
    """Environment for podman (Wharf's and the test's) with its own storage, auth file and
    configuration under @tmp, as tests/contract does."""
    runroot = tempfile.mkdtemp(prefix='wt-', dir='/tmp')  # podman wants a short runroot
    conf = {
        'storage.conf': ('[storage]\ndriver = "vfs"\n'
                         f'graphroot = "{os.path.join(tmp, "root")}"\nrunroot = "{runroot}"\n'),
        'containers.conf': '[engine]\nevents_logger = "none"\ncgroup_manager = "cgroupfs"\n',
        'registries.conf': 'unqualified-search-registries = []\n',
    }
    for name, text in conf.items():
        with open(os.path.join(tmp, name), 'w') as f:
            f.write(text)
    return runroot, {
        'CONTAINERS_STORAGE_CONF': os.path.join(tmp, 'storage.conf'),
        'CONTAINERS_CONF': os.path.join(tmp, 'containers.conf'),
        'CONTAINERS_REGISTRIES_CONF': os.path.join(tmp, 'registries.conf'),
        'REGISTRY_AUTH_FILE': os.path.join(tmp, 'auth.json'),
        'TMPDIR': tmp,
    }


def podman(argv, cwd=None):
    """Runs a podman command line (a list) with the private storage; returns stdout."""
    assert argv[0] == 'podman', argv
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300,
                       env={**os.environ, **podman_env})
    if p.returncode != 0:
        raise AssertionError(f'{" ".join(argv)} failed ({p.returncode}): {p.stderr.strip()[-600:]}')
    return p.stdout


def read_keyfile(config):
    with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile')) as f:
        return f.read()


env = wharfui.settings_env({'container-tool': 'podman'})
config_home = env['XDG_CONFIG_HOME']
data_home = tempfile.mkdtemp(prefix='wharf-data-')
env['XDG_DATA_HOME'] = data_home
podman_tmp = tempfile.mkdtemp(prefix='wharf-podman-')
podman_runroot, podman_env = private_podman(podman_tmp)
env.update(podman_env)
state_path = os.path.join(data_home, 'wharf', 'practice-state.json')

try:
    # ---- First run: practice mode and steps 1 to 4 ----
    app = wharfui.App(env)
    try:
        win = app.window()
        button(win, 'Take the Tutorial')
        shot(app, 'tutorial-welcome', win, whole_screen=True)
        click(button(win, 'Practice without AWS'))
        label(win, r'^Practice mode: everything here happens in a sandbox')
        # The demo repositories of the sandbox inside the app are listed.
        wharfui.wait_for(lambda: os.path.exists(state_path), 20, 'the practice state file')
        button(win, 'Reset Practice Data')
        shot(app, 'tutorial-0-practice', win, whole_screen=True)
        log('practice mode is on, with its banner')

        tut = open_tutorial(app, win)
        label(tut, r'^Step 1 of 6$')
        label(tut, r'^Done: ')
        shot(app, 'tutorial-1-prerequisites', tut)
        log('step 1 done in practice mode')
        click(button(tut, 'Next'))

        label(tut, r'^Step 2 of 6$')
        label(tut, r'^Not yet: create a repository$')
        click(button(tut, 'Create Repository'))
        wizard = frame(app, 'New Repository')
        type_into(entry(wizard, 'Repository name'), REPOSITORY)
        # Next through the wizard's steps until it offers Create.
        def create_offered():
            return wizard.findChild(lambda n: wharfui.norm(n.name) == 'Create' and 'click' in n.actions,
                                    retry=False, requireResult=False)
        def wizard_step():
            node = wizard.findChild(lambda n: re.match(r'^Step \d+ of \d+', n.name or ''),
                                    retry=False, requireResult=False)
            return node.name if node else None
        for _ in range(10):
            if create_offered():
                break
            before = wharfui.wait_for(wizard_step, 10, 'the wizard’s step')
            click(button(wizard, 'Next'))
            wharfui.wait_for(lambda: wizard_step() not in (None, before), 10,
                             f'the wizard to leave {before!r}')
        click(button(wizard, 'Create'))
        wharfui.wait_for(lambda: gone(app, 'New Repository'), 20, 'the wizard to close')
        label(tut, '^Done: repository “%s” exists$' % REPOSITORY)
        shot(app, 'tutorial-2-repository', tut)
        log('step 2 done: the repository exists')
        click(button(tut, 'Next'))

        label(tut, r'^Step 3 of 6$')
        login = label(tut, r'get-login-password')
        assert '--region us-east-1' in login.name, login.name
        assert re.search(r'podman login --tls-verify=false --username AWS --password-stdin '
                         r'127\.0\.0\.1:\d+$', login.name), login.name
        label(tut, r'Podman needs --tls-verify=false')
        label(tut, r'give the AWS CLI the practice keys.*AKIAWHARFPRACTICE001')
        # Wharf logs the real podman in to the practice registry (password on its stdin).
        click(button(tut, 'Log In Now'))
        label(tut, r'^Logged in\. The password is valid for 12 hours\.$', timeout=60)
        label(tut, r'^Done: logged in$')
        with open(podman_env['REGISTRY_AUTH_FILE']) as f:
            assert re.search(r'127\.0\.0\.1:\d+', f.read()), 'no login in the auth file'
        shot(app, 'tutorial-3-login', tut)
        log('step 3 done: podman logged in by Wharf')
        click(button(tut, 'Next'))

        label(tut, r'^Step 4 of 6$')
        build = label(tut, r'^podman build ')
        tag = label(tut, r'^podman tag ')
        push = label(tut, r'^podman push ')
        assert re.search(rf'^podman push --tls-verify=false 127\.0\.0\.1:\d+/{REPOSITORY}:latest$',
                         push.name), push.name
        label(tut, r'^Waiting for an image…$')
        label(tut, r'^Practice mode: these commands push to the practice registry')
        # Run the commands as the tutorial shows them, in a folder with a Containerfile.
        context = os.path.join(podman_tmp, 'context')
        os.makedirs(context)
        with open(os.path.join(context, 'Containerfile'), 'w') as f:
            f.write('FROM scratch\nCOPY hello.txt /hello.txt\n')
        with open(os.path.join(context, 'hello.txt'), 'w') as f:
            f.write(f'hello from the tutorial test {os.urandom(8).hex()}\n')
        podman(shlex.split(build.name), cwd=context)
        podman(shlex.split(tag.name))
        digest_file = os.path.join(podman_tmp, 'digest')
        push_argv = shlex.split(push.name)
        podman(push_argv[:2] + ['--digestfile', digest_file] + push_argv[2:])
        with open(digest_file) as f:
            pushed = f.read().strip()
        log('podman pushed', pushed)
        label(tut, r'^Image arrived$', timeout=60)
        arrival = label(tut, r'latest · sha256:[0-9a-f]{12}… · Scan: ')
        assert pushed[:len('sha256:') + 12] in arrival.name, (pushed, arrival.name)
        label(tut, r'Digest checked: ')
        label(tut, r'^Done: the image has arrived$')
        shot(app, 'tutorial-4-push', tut)
        log('step 4 done:', arrival.name)
        click(button(tut, 'Next'))
        label(tut, r'^Step 5 of 6$')
    finally:
        app.quit()

    settings = read_keyfile(config_home)
    assert "tutorial-step='pull'" in settings, settings
    assert f"tutorial-repository='{REPOSITORY}'" in settings, settings

    # ---- Second run: resumes at step 5 in practice mode ----
    app = wharfui.App(env)
    try:
        win = app.window()
        label(win, r'^Practice mode: everything here happens in a sandbox')
        tut = open_tutorial(app, win)
        label(tut, r'^Step 5 of 6$')
        pull = label(tut, r'^podman pull ')
        match = re.search(rf'^podman pull --tls-verify=false (127\.0\.0\.1:\d+/{REPOSITORY}:latest)$',
                          pull.name)
        assert match, pull.name
        log('resumed at step 5 after a restart')
        # The practice registry listens on a new port after a restart: log in again, this
        # time with step 3's command exactly as shown, run by a shell with the practice keys
        # step 3 names, then let Wharf pull with podman, from an empty local store.
        click(button(tut, 'Back'))
        click(button(tut, 'Back'))
        label(tut, r'^Step 3 of 6$')
        login = label(tut, r'^aws ecr get-login-password .* \| podman login ')
        label(tut, r'AKIAWHARFPRACTICE001 and .*=wharf/practice/secret/key/')
        aws_env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        aws_env.update(podman_env)
        aws_env.update(AWS_ACCESS_KEY_ID='AKIAWHARFPRACTICE001',
                       AWS_SECRET_ACCESS_KEY='wharf/practice/secret/key/not+for+aws0000000',
                       AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                       PATH='/usr/bin:' + os.environ.get('PATH', ''))
        model = os.path.join(os.environ.get('WHARF_SHARED_DIR', ''), 'testdata', 'ecr-model')
        if os.path.isdir(model):
            aws_env['AWS_DATA_PATH'] = model
        shown = subprocess.run(['sh', '-c', login.name], env=aws_env, capture_output=True,
                               text=True, timeout=120)
        assert shown.returncode == 0, f'{login.name}: {shown.stderr.strip()[-600:]}'
        log('the login command as shown:', shown.stdout.strip())
        podman(['podman', 'rmi', '--all', '--force'])
        click(button(tut, 'Next'))
        label(tut, r'^Step 4 of 6$')
        label(tut, r'^Done: the image has arrived$', timeout=60)
        click(button(tut, 'Next'))
        label(tut, r'^Step 5 of 6$')
        click(button(tut, 'Pull Now'))
        label(tut, r'^Pulled: the tool fetched the image', timeout=120)
        label(tut, r'^Done: pulled$')
        podman(['podman', 'image', 'exists', match.group(1)])
        shot(app, 'tutorial-5-pull', tut)
        log('step 5 done: Wharf pulled', match.group(1), 'with podman')
        click(button(tut, 'Next'))

        label(tut, r'^Step 6 of 6$')
        account_entry = entry(tut, 'AWS account ID to allow')
        type_into(account_entry, '12345')
        label(tut, r'exactly 12 digits')
        policy_button = button(tut, 'Apply Policy')
        assert not policy_button.sensitive, 'Apply Policy is offered for a bad account id'
        type_into(account_entry, OTHER_ACCOUNT)
        wharfui.wait_for(lambda: policy_button.sensitive, 10, 'Apply Policy to be offered')
        label(tut, f'arn:aws:iam::{OTHER_ACCOUNT}:root')
        click(policy_button)
        label(tut, r'^Applied: the account can pull$')
        click(button(tut, 'Apply Lifecycle Rule'))
        label(tut, r'^Applied: untagged images expire after 14 days$')
        click(button(tut, 'Turn On Scan on Push'))
        label(tut, r'^3 of 3 in place$')
        shot(app, 'tutorial-6-habits', tut)
        log('step 6: policy, lifecycle rule and scan on push applied')

        # What the practice registry holds now.
        def applied():
            state = read_state(state_path)
            repo = find_repository(state, REPOSITORY)
            text = json.dumps(repo)
            return repo is not None and OTHER_ACCOUNT in text and 'sinceImagePushed' in text
        wharfui.wait_for(applied, 20, 'the policy and lifecycle rule in the practice state')

        click(button(tut, 'Finish'))
        label(tut, r'^You Are All Set$')
        shot(app, 'tutorial-7-finished', tut)
        log('tutorial finished')

        # ---- Reset practice data, with a confirmation ----
        click(button(tut, 'Close Tutorial'))
        wharfui.wait_for(lambda: gone(app, 'Tutorial'), 10, 'the tutorial to close')
        label(win, '^%s$' % REPOSITORY)  # the main window lists what the tutorial made
        click(button(win, 'Reset Practice Data'))
        def confirmation():
            for child in app.app.children:
                if child.findChild(lambda n: n.name == 'Reset Practice Data?',
                                   retry=False, requireResult=False):
                    if child.findChild(lambda n: n.name == 'Reset Practice Data' and 'click' in n.actions,
                                       retry=False, requireResult=False) is None:
                        return child
            return None
        dialog = wharfui.wait_for(confirmation, 10, 'the confirmation')
        shot(app, 'tutorial-8-reset', dialog)
        click(wharfui.find(dialog, 'Reset', BUTTON))
        label(win, r'^Practice data reset$')

        def reset_done():
            state = read_state(state_path)
            return (find_repository(state, REPOSITORY) is None and
                    find_repository(state, 'team-a/api') is not None)
        wharfui.wait_for(reset_done, 20, 'the practice state to be back to the demo')
        label(win, r'^team-a/api$')
        assert win.findChild(lambda n: n.name == REPOSITORY and n.roleName == 'label',
                             retry=False, requireResult=False) is None, 'hello-app is still listed'
        log('practice data reset: the tutorial repository is gone, the demo is back')
        assert dialog is not None
    finally:
        app.quit()

    settings = read_keyfile(config_home)
    assert "tutorial-step='finished'" in settings, settings
    print('ok: practice mode, the whole tutorial, resume after restart, reset')
finally:
    shutil.rmtree(data_home, ignore_errors=True)
    shutil.rmtree(config_home, ignore_errors=True)
    shutil.rmtree(podman_tmp, ignore_errors=True)
    shutil.rmtree(podman_runroot, ignore_errors=True)
