# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for Wharf's UI tests: launch the real app under the test session's
Xvfb, find it through AT-SPI (dogtail), wait for conditions, take screenshots."""
import os
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


class App:
    def __init__(self, extra_env=None, args=()):
        self.bin = os.environ['WHARF_BIN']
        env = dict(os.environ)
        env.setdefault('GSETTINGS_BACKEND', 'memory')
        if extra_env:
            env.update(extra_env)
        self.proc = subprocess.Popen([self.bin, *args], env=env)
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

    def screenshot(self, name):
        outdir = os.path.join(os.environ.get('WHARF_BUILD_ROOT', '.'), 'screenshots')
        os.makedirs(outdir, exist_ok=True)
        path = os.path.join(outdir, name + '.png')
        if shutil.which('import'):
            subprocess.run(['import', '-window', 'root', path], check=True)
        return path

    def quit(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


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
