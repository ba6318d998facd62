# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for Wharf's UI tests: launch the real app under the test session's
Xvfb, find it through AT-SPI (dogtail), wait for conditions, take screenshots."""
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77


def require_session():
    """Skip (exit 77) unless we run inside build-aux/wharf-test-session."""
    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        print('SKIP: no X display or session bus; run through build-aux/wharf-test-session')
        sys.exit(SKIP)
    try:
        import dogtail  # noqa: F401
    except ImportError:
        print('SKIP: python3-dogtail is not installed')
        sys.exit(SKIP)


def tree():
    from dogtail.config import config
    config.checkForA11y = False
    config.searchCutoffCount = 20
    config.defaultDelay = 0.2
    config.logDebugToFile = False
    from dogtail import tree as dtree
    return dtree


def wait_for(predicate, timeout=20.0, what='condition'):
    """Poll predicate until it returns a true value; fail with `what` after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # AT-SPI objects come and go while the UI changes
            last_error = e
        time.sleep(0.1)
    raise AssertionError(f'timed out waiting for {what}' + (f' ({last_error})' if last_error else ''))


PRACTICE_ACCESS_KEY_ID = 'AKIAWHARFPRACTICE001'
PRACTICE_SECRET_ACCESS_KEY = 'wharf/practice/secret/key/not+for+aws0000000'
PRACTICE_ACCOUNT_ID = '111122223333'


class Sandbox:
    """A `wharf-sandbox` process on a free loopback port, with its state in a temporary
    file. `faults` are --fault specs ("500:CreateRepository:1"). `.url`, `.access_key_id`,
    `.secret_access_key`, `.account_id`; `.ecr(region)` is a botocore ECR client for
    checking what the app did; `.env(region)` the environment that points Wharf at it."""

    def __init__(self, seed='demo', faults=(), region='us-east-1'):
        import tempfile
        self.dir = tempfile.mkdtemp(prefix='wharf-sandbox-')
        self.state = os.path.join(self.dir, 'state.json')
        self.region = region
        self.access_key_id = PRACTICE_ACCESS_KEY_ID
        self.secret_access_key = PRACTICE_SECRET_ACCESS_KEY
        self.account_id = PRACTICE_ACCOUNT_ID
        binary = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'src', 'sandbox', 'wharf-sandbox')
        args = [binary, '--listen', '127.0.0.1:0', '--seed', seed, '--state', self.state]
        for fault in faults:
            args += ['--fault', fault]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        import atexit
        atexit.register(self.stop)
        line = self.proc.stdout.readline().strip()
        if not line:
            raise AssertionError(f'wharf-sandbox did not start (exit {self.proc.poll()})')
        self.url = line.split()[-1]
        if not self.url.startswith('http://127.0.0.1:'):
            raise AssertionError(f'unexpected first line from wharf-sandbox: {line!r}')

    def env(self, region=None):
        """Wharf's environment account, as the AWS CLI would use it."""
        return {
            'AWS_ACCESS_KEY_ID': self.access_key_id,
            'AWS_SECRET_ACCESS_KEY': self.secret_access_key,
            'AWS_ENDPOINT_URL_ECR': self.url,
            # Who is signed in (GetCallerIdentity) is asked of the sandbox too, never of AWS.
            'AWS_ENDPOINT_URL_STS': self.url,
            'AWS_REGION': region or self.region,
        }

    def ecr(self, region=None):
        """A botocore client with ECR's current model (when ../shared has it)."""
        import botocore.session
        model = os.path.join(os.environ.get('WHARF_SHARED_DIR', ''), 'testdata', 'ecr-model')
        if os.path.isdir(model):
            os.environ['AWS_DATA_PATH'] = model
        session = botocore.session.get_session()
        return session.create_client('ecr', region_name=region or self.region,
                                     endpoint_url=self.url,
                                     aws_access_key_id=self.access_key_id,
                                     aws_secret_access_key=self.secret_access_key)

    def repository(self, name, region=None):
        """The repository as DescribeRepositories shows it, or None."""
        ecr = self.ecr(region)
        try:
            return ecr.describe_repositories(repositoryNames=[name])['repositories'][0]
        except ecr.exceptions.RepositoryNotFoundException:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def settings_env(values, app_id=None):
    """Environment for starting Wharf with these GSettings values ({'window-width': 360}),
    through a keyfile backend in a fresh folder (the memory backend starts empty)."""
    import tempfile
    app_id = app_id or os.environ.get('WHARF_APP_ID', 'io.github.wharfapp.Wharf.Devel')
    config = tempfile.mkdtemp(prefix='wharf-settings-')
    folder = os.path.join(config, 'glib-2.0', 'settings')
    os.makedirs(folder)
    # Keep the session's GTK settings (build-aux/wharf-test-session's decoration layout).
    gtk_settings = os.path.join(os.environ.get('XDG_CONFIG_HOME', ''), 'gtk-4.0')
    if os.path.isdir(gtk_settings):
        shutil.copytree(gtk_settings, os.path.join(config, 'gtk-4.0'))
    with open(os.path.join(folder, 'keyfile'), 'w') as f:
        f.write('[' + app_id.replace('.', '/') + ']\n')
        for key, value in values.items():
            if isinstance(value, bool):
                text = 'true' if value else 'false'
            elif isinstance(value, int):
                text = str(value)
            else:
                text = "'" + str(value).replace("'", "\\'") + "'"
            f.write(f'{key}={text}\n')
    return {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config}


class App:
    def __init__(self, extra_env=None, args=()):
        self.bin = os.environ['WHARF_BIN']
        env = dict(os.environ)
        env.setdefault('GSETTINGS_BACKEND', 'memory')
        if extra_env:
            env.update(extra_env)
        import tempfile
        # The app's stderr goes to a file that quit() checks for criticals and warnings.
        self.log = tempfile.NamedTemporaryFile(prefix='wharf-stderr-', suffix='.log',
                                               delete=False)
        self.proc = subprocess.Popen([self.bin, *args], env=env, stderr=self.log)
        self.name = os.path.basename(self.bin)
        self.dtree = tree()
        self.app = wait_for(self._find_app, 30, 'Wharf on the accessibility bus')

    def _find_app(self):
        if self.proc.poll() is not None:
            raise AssertionError(f'wharf exited with {self.proc.returncode}')
        for child in self.dtree.root.children:
            if child.name == self.name:
                return child
        return None

    def window(self, name='Wharf'):
        return wait_for(lambda: self.app.child(roleName='frame', recursive=False, retry=False)
                        if False else self._frame(), 20, 'the main window')

    def _frame(self):
        for child in self.app.children:
            if child.roleName in ('frame', 'window'):
                return child
        return None

    def screenshot(self, name, node=None):
        """The screen, or only `node` (a window) when given, into
        $WHARF_BUILD_ROOT/screenshots/NAME.png."""
        outdir = os.path.join(os.environ.get('WHARF_BUILD_ROOT', '.'), 'screenshots')
        os.makedirs(outdir, exist_ok=True)
        path = os.path.join(outdir, name + '.png')
        if shutil.which('import'):
            args = ['import', '-window', 'root']
            if node is not None:
                try:
                    x, y = node.position
                    w, h = node.size
                    if w > 0 and h > 0:
                        args += ['-crop', f'{w}x{h}+{max(x, 0)}+{max(y, 0)}', '+repage']
                except Exception:  # the node went away; take the whole screen
                    pass
            subprocess.run(args + [path], check=True)
        return path

    def quit(self):
        """Quits the app as a person would (app.quit closes and disposes every window),
        and fails the test when it crashed or logged a critical or a warning."""
        crashed = None
        if self.proc.poll() is None:
            ids = [os.environ['WHARF_APP_ID']] if os.environ.get('WHARF_APP_ID') else \
                ['io.github.wharfapp.Wharf.Devel', 'io.github.wharfapp.Wharf']
            for app_id in ids:  # development builds, then release builds
                if subprocess.run(['gdbus', 'call', '--session', '--dest', app_id,
                                   '--object-path', '/' + app_id.replace('.', '/'),
                                   '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=10).returncode == 0:
                    break
            try:
                self.proc.wait(10)
                if self.proc.returncode != 0:
                    crashed = f'the app exited with {self.proc.returncode} on quit'
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is None:
            return
        self.log.close()
        with open(self.log.name, encoding='utf-8', errors='replace') as f:
            text = f.read()
        os.unlink(self.log.name)
        self.log = None
        sys.stderr.write(text)  # keep the app's output in the test log
        problems = log_problems(text)
        if crashed:
            problems.append(crashed)
        if problems:
            raise AssertionError('the app logged criticals or warnings:\n' + '\n'.join(problems))


# GLib's log lines: "(wharf:123): Gtk-CRITICAL **: 08:40:00.123: message".
_LOG_LINE = re.compile(r'^(?:\([^)]*\): )?(?P<domain>[A-Za-z][\w-]*)-(?P<level>CRITICAL|WARNING) \*\*: '
                       r'(?:\d\d:\d\d:\d\d\.\d+: )?(?P<message>.*)$')
_CHECKED_DOMAIN = re.compile(r'^(Gtk|Gdk|Gsk|Adw|GLib|GLib-GObject|GLib-GIO|wharf(-[\w-]+)?)$')

# Noise that is not Wharf's to fix, each with the reason it is harmless:
# (The domains "dbind" and "atk-bridge" are not checked at all: the AT-SPI bridge warns
# when dogtail or the registry goes away while the app still talks to it. No desktop
# portal warnings showed up in the test session, so none are ignored.)
LOG_IGNORED = [
    # GTK 4.8's AT-SPI Component answers in window coordinates and says so each time
    # dogtail asks for a position on screen (node.position in screenshot()).
    re.compile(r'Gtk-WARNING \*\*: .*Screen coordinates not supported'),
]

# Known problems allowed (at most `count` times per run of the app), each with the file
# and line to fix. Remove an entry as soon as its cause is gone; keep this list empty.
LOG_ALLOWED = [
]


def log_problems(text):
    """The critical and warning lines of GTK, libadwaita, GLib/GObject and Wharf's own
    domains in a log, without the ignored noise and the allowed known problems."""
    problems = []
    allowed = [count for _pattern, count in LOG_ALLOWED]
    for line in text.splitlines():
        m = _LOG_LINE.match(line.strip())
        if not m or not _CHECKED_DOMAIN.match(m.group('domain')):
            continue
        if any(p.search(line) for p in LOG_IGNORED):
            continue
        for i, (pattern, _count) in enumerate(LOG_ALLOWED):
            if allowed[i] > 0 and pattern.search(line):
                allowed[i] -= 1
                break
        else:
            problems.append(line.strip())
    return problems


def dump(node, depth=0, out=None):
    """Print the accessibility tree below node (for debugging a test)."""
    out = out or sys.stdout
    try:
        print('  ' * depth + f'[{node.roleName}] {node.name!r}', file=out)
        for child in node.children:
            dump(child, depth + 1, out)
    except Exception as e:  # the tree changes under us
        print('  ' * depth + f'<gone: {e}>', file=out)


def norm(name):
    """An accessible name as a person reads it. GTK 4.8 names a button by its label and
    again by its child label ("Add Add"), with mnemonics' underscores; fold both."""
    name = (name or '').replace('_', '')
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        return name[:half]
    return name


def find(root, name=None, role=None, timeout=10.0, clickable=None):
    """Wait for a descendant with this accessible name (underlines ignored) and role.
    For buttons, the one that can be clicked (a GtkMenuButton wraps a toggle button)."""
    roles = (role,) if isinstance(role, str) else role
    if clickable is None:
        clickable = roles is not None and roles == BUTTON

    def pred(n):
        if clickable and 'click' not in n.actions:
            return False
        if name is not None and norm(n.name) != name:
            return False
        if roles is not None and n.roleName not in roles:
            return False
        return True

    return wait_for(lambda: root.findChild(pred, retry=False, requireResult=False),
                    timeout, f'{role or "node"} {name!r}')


BUTTON = ('push button', 'button', 'toggle button')


def row_names(list_node):
    """The accessible names of a GtkListView's rows (each row's first child)."""
    names = []
    for item in list_node.children:
        try:
            if item.name:
                names.append(norm(item.name))
            else:
                names.append(norm(item.children[0].name) if item.childCount else '')
        except Exception:  # a row being recycled
            names.append(None)
    return names


def select_row(list_node, name, timeout=10.0):
    """Selects the row called `name` through the AT-SPI Selection interface."""
    def pred():
        names = row_names(list_node)
        if name in names:
            list_node.querySelection().selectChild(names.index(name))
            return True
        return False
    wait_for(pred, timeout, f'row {name!r}')


def keys(combo):
    """Presses a key combination ("<Control>f", "F5") in the focused window."""
    from dogtail import rawinput
    rawinput.keyCombo(combo)


def click(node):
    node.doActionNamed('click')


def showing(root, name, role=None):
    """A descendant with this name and role, preferring one AT-SPI reports as showing
    (GTK 4.8 does not always update "showing" for the pages of a GtkStack, so scope the
    search to the right part of the window), or None; no waiting."""
    roles = (role,) if isinstance(role, str) else role

    def pred(n):
        return norm(n.name) == name and (roles is None or n.roleName in roles)
    found = root.findChildren(pred, recursive=True)
    for node in found:
        if node.showing:
            return node
    return found[0] if found else None


def wait_showing(root, name, role=None, timeout=10.0):
    return wait_for(lambda: showing(root, name, role), timeout, f'{name!r} on screen')


def on_screen(node, timeout=10.0, what=None):
    """Waits until the node is on screen, e.g. before a screenshot, instead of sleeping:
    AT-SPI reports it showing, or (GTK 4.8 does not always report "showing" inside a
    GtkStack) it has been laid out with a size. Returns the node."""
    def laid_out():
        width, height = node.size
        return (node.showing or (width > 0 and height > 0)) and node
    return wait_for(laid_out, timeout, what or f'{node.roleName} {norm(node.name)!r} on screen')


def banner_button(win, name, timeout=20.0):
    """The live button of the window's credentials banner called `name`. GTK 4.8 leaves
    dead, zero-sized and insensitive copies of it in the AT-SPI tree each time the button
    gets a new label; this waits for the one on screen that can be clicked."""
    def live():
        for node in win.findChildren(lambda n: n.roleName in BUTTON and norm(n.name) == name,
                                     recursive=True):
            if node.sensitive and node.size[0] > 0 and 'click' in node.actions:
                return node
        return None
    return wait_for(live, timeout, f'the banner button {name!r}')


EDITABLE = ('text', 'entry', 'password text', 'search box', 'editbar')


def entry(root, name, timeout=10.0):
    """The editable text of the control called `name` (an AdwEntryRow's inner GtkText)."""
    def named(n):
        # GTK 4.8 reads an entry row as "<accessible label> <title>".
        return norm(n.name) == name or (n.name or '').startswith(name + ' ')

    def pred():
        for node in root.findChildren(named, recursive=True):
            if node.roleName in EDITABLE:
                return node
            inner = node.findChild(lambda n: n.roleName in EDITABLE, retry=False,
                                   requireResult=False)
            if inner is not None:
                return inner
        return None
    return wait_for(pred, timeout, f'text field {name!r}')


def window_named(app, title, timeout=10.0):
    """A top-level window (dialog) of the app by its title."""
    def pred():
        for child in app.app.children:
            if norm(child.name) == title:
                return child
        return None
    return wait_for(pred, timeout, f'the window {title!r}')


def keyring_items(schema='io.github.wharfapp.Wharf.Account'):
    """Every item of Wharf's keyring schema: a list of (attributes, secret text)."""
    import gi
    gi.require_version('Secret', '1')
    from gi.repository import Secret
    s = Secret.Schema.new(schema, Secret.SchemaFlags.NONE, {})
    flags = Secret.SearchFlags.ALL | Secret.SearchFlags.UNLOCK | Secret.SearchFlags.LOAD_SECRETS
    items = Secret.password_search_sync(s, {}, flags, None)
    out = []
    for item in items:
        value = item.retrieve_secret_sync(None)
        out.append((dict(item.get_attributes()), value.get_text() if value else None))
    return out


def files_containing(text, roots=None):
    """Files under $HOME and the XDG folders whose bytes contain `text`."""
    roots = roots or [os.environ.get(v) for v in ('HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME',
                                                   'XDG_CACHE_HOME', 'XDG_STATE_HOME')]
    needle = text.encode()
    hits = []
    for root in filter(None, roots):
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, 'rb') as f:
                        if needle in f.read():
                            hits.append(path)
                except OSError:
                    pass
    return hits


def activate(node):
    """Performs a control's first action (click, toggle, press…)."""
    for name in ('click', 'toggle', 'press', 'activate'):
        if name in node.actions:
            node.doActionNamed(name)
            return
    action = node.queryAction()
    if action.nActions == 0:
        raise AssertionError(f'{node.roleName} {node.name!r} has no action')
    action.doAction(0)


def label_containing(root, text, timeout=10.0):
    """Waits for a label whose text contains `text`."""
    return wait_for(lambda: root.findChild(
        lambda n: n.roleName == 'label' and text in (n.name or ''), retry=False,
        requireResult=False), timeout, f'a label with {text!r}')


def text_of(node):
    """The text of an editable (GTK 4.8 answers nothing to dogtail's getText (0, -1))."""
    t = node.queryText()
    return t.getText(0, t.characterCount)


def retry_click(root, name, role=BUTTON, timeout=10.0):
    """Finds and clicks a control, again if AT-SPI hands out a node that just died."""
    def attempt():
        activate(find(root, name, role, timeout=timeout))
        return True
    return wait_for(attempt, timeout, f'clicking {name!r}')
