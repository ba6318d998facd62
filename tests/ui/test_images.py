#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The images of a repository, against the sandbox through AT-SPI: the 10,000-image
repository streams in with a count, sorts and filters; an image URI reaches the clipboard;
two images are deleted; a seeded image's findings match what the sandbox reports; a scan
runs to completion and the daily limit is explained; the findings are exported as CSV;
the push commands name the repository; the fake Docker is logged in with the password on
its standard input only."""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402

wharfui.require_session()

ACCOUNT = '111122223333'
REGION = 'us-east-1'
REGISTRY = f'{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com'
HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_BIN = os.path.join(HERE, '..', 'fake-bin')


def log(*args):
    print('#', *args, flush=True)


def read_clipboard():
    """Reads the X clipboard the way any other program would: a separate GTK process."""
    script = (
        "import gi, sys\n"
        "gi.require_version('Gdk', '4.0'); gi.require_version('Gtk', '4.0')\n"
        "from gi.repository import Gdk, GLib, Gtk\n"
        "Gtk.init()\n"
        "loop = GLib.MainLoop(); out = {}\n"
        "def done(cb, res):\n"
        "    try: out['text'] = cb.read_text_finish(res)\n"
        "    except Exception as e: out['error'] = str(e)\n"
        "    loop.quit()\n"
        "cb = Gdk.Display.get_default().get_clipboard()\n"
        "cb.read_text_async(None, done)\n"
        "GLib.timeout_add_seconds(10, loop.quit)\n"
        "loop.run()\n"
        "if out.get('text') is None: sys.exit(out.get('error', 'no text'))\n"
        "sys.stdout.write(out['text'])\n")
    result = subprocess.run(['/usr/bin/python3', '-c', script], capture_output=True, text=True,
                            timeout=30)
    if result.returncode != 0:
        raise AssertionError(f'could not read the clipboard: {result.stderr.strip()}')
    return result.stdout


def wait_label(root, predicate, what, timeout=30):
    return wharfui.wait_for(lambda: root.findChild(
        lambda n: n.roleName == 'label' and predicate(n.name or ''), retry=False,
        requireResult=False), timeout, what)


def node_text(node):
    try:
        return node.text or ''
    except Exception:
        return node.name or ''


def images_table(win):
    return wharfui.wait_for(lambda: win.findChild(
        lambda n: n.roleName == 'tree table' and n.name == 'Images',
        retry=False, requireResult=False), 20, 'the images table')


def shown_rows(win):
    """The rows the column view has laid out (GTK keeps a few beyond the viewport): each
    a list of its cells' texts."""
    table = images_table(win)
    lists = [c for c in table.children if c.roleName == 'list']
    rows = []
    for row in lists[0].children if lists else []:
        try:
            if row.size[1] <= 0:
                continue
            rows.append([cell.children[0].name for cell in row.children])  # cell > label
        except Exception:  # recycled while we look
            continue
    return rows


def header(win, title):
    table = images_table(win)
    return table.findChild(lambda n: n.roleName == 'label' and n.name == title, retry=False)


def click_row(win, index, modifier=None):
    """Clicks the index-th row under the column headers (rows are 20 px high)."""
    from dogtail import rawinput
    table = images_table(win)
    pane = table.parent
    title = header(win, 'Size').parent.parent
    x = pane.position[0] + 60
    y = title.position[1] + title.size[1] + 20 * index + 10
    if modifier:
        rawinput.holdKey(modifier)
    rawinput.click(x, y)
    if modifier:
        rawinput.releaseKey(modifier)


def set_search(win, text):
    from dogtail import rawinput
    entry = wharfui.find(win, 'Filter Images', 'entry')
    entry.click()
    rawinput.keyCombo('<Control>a')
    rawinput.typeText(text)


def open_repository(win, name):
    label = wait_label(win, lambda n: n == name, f'repository {name} in the sidebar')
    label.click()
    wait_label(win, lambda n: n.endswith(' images') or n.endswith(' image'),
               f'the images of {name}', 60)


def severity_counts(win):
    """The six tiles of the scan summary, by the numbers they show."""
    counts = {}
    for word in ('Critical', 'High', 'Medium', 'Low', 'Informational', 'Undefined'):
        node = win.findChild(lambda n: n.roleName in wharfui.BUTTON and
                             (n.name or '').startswith(word + ': '), retry=False,
                             requireResult=False)
        if node is None:
            return None
        number = node.findChild(lambda n: n.roleName == 'label' and (n.name or '').isdigit(),
                                retry=False, requireResult=False)
        counts[word.upper()] = int(number.name if number is not None else node.name.split(': ')[1])
    return counts


class RecordingSandbox(wharfui.Sandbox):
    """wharfui.Sandbox that also records every request and response (--record), so that
    the test can read the login token the app was given."""

    def __init__(self, seed):
        self.dir = tempfile.mkdtemp(prefix='wharf-sandbox-')
        self.state = os.path.join(self.dir, 'state.json')
        self.record = os.path.join(self.dir, 'record.jsonl')
        self.region = REGION
        self.access_key_id = wharfui.PRACTICE_ACCESS_KEY_ID
        self.secret_access_key = wharfui.PRACTICE_SECRET_ACCESS_KEY
        self.account_id = wharfui.PRACTICE_ACCOUNT_ID
        binary = os.path.join(os.environ['WHARF_BUILD_ROOT'], 'src', 'sandbox', 'wharf-sandbox')
        self.proc = subprocess.Popen([binary, '--listen', '127.0.0.1:0', '--seed', seed,
                                      '--state', self.state, '--record', self.record],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith('Listening on http://127.0.0.1:'):
            raise AssertionError(f'wharf-sandbox did not start: {line!r}')
        self.url = line.split()[-1]

    def last_response(self, operation):
        with open(self.record, encoding='utf-8') as f:
            records = [json.loads(line) for line in f if line.strip()]
        matching = [r for r in records if r['operation'] == operation]
        return json.loads(matching[-1]['response']['body']) if matching else None


def main():
    sandbox = RecordingSandbox(seed='big')
    tool_log = tempfile.NamedTemporaryFile(prefix='wharf-fake-tool-', suffix='.jsonl',
                                           delete=False).name
    os.unlink(tool_log)
    env = sandbox.env()
    env['PATH'] = os.path.abspath(FAKE_BIN) + os.pathsep + os.environ.get('PATH', '')
    env['WHARF_FAKE_TOOL_LOG'] = tool_log
    ecr = sandbox.ecr()
    big_uri = sandbox.repository('big')['repositoryUri']

    from dogtail.config import config
    config.childrenLimit = 2000

    app = wharfui.App(extra_env=env)
    try:
        win = app.window()

        # --- 10,000 images stream in, newest first --------------------------------
        label = wait_label(win, lambda n: n == 'big', 'repository big in the sidebar')
        label.click()
        try:
            wait_label(win, lambda n: n.endswith(' of … loaded'), 'the loading count', 10)
            app.screenshot('images-loading')
        except AssertionError:
            log('the listing finished before the loading count could be seen')
        wait_label(win, lambda n: n == '10,000 images', 'the count of 10,000 images', 90)
        rows = wharfui.wait_for(lambda: (r := shown_rows(win)) and
                                any(c[0] == 'build-09998' for c in r) and r,
                                20, 'the newest images at the top')
        assert not any(c[0] == 'build-00001' for c in rows), 'the oldest image is shown first'
        wharfui.on_screen(images_table(win), 10, 'the images table on screen')
        app.screenshot('images-big')
        log('10,000 images listed, newest first')

        # --- sort by size ----------------------------------------------------------
        header(win, 'Size').click()
        # The smallest images are 50 MiB (52.4 MB): build-00000, build-00977, …
        wharfui.wait_for(lambda: any(c[0].startswith('build-00977') for c in shown_rows(win)),
                         20, 'the smallest images at the top after sorting by size')
        assert not any(c[0] == 'build-09998' for c in shown_rows(win)), 'not sorted by size'
        app.screenshot('images-sorted-by-size')
        log('sorted by size')

        # --- filter untagged ------------------------------------------------------
        wharfui.find(win, 'Untagged Images', wharfui.BUTTON).doActionNamed('click')
        wait_label(win, lambda n: n == '2,000 of 10,000 images shown', 'the untagged count')
        wharfui.wait_for(lambda: (r := shown_rows(win)) and all(c[0] == 'untagged' for c in r),
                         10, 'only untagged rows')
        app.screenshot('images-untagged')
        wharfui.find(win, 'All Images', wharfui.BUTTON).doActionNamed('click')
        wait_label(win, lambda n: n == '10,000 images', 'all images again')
        log('untagged filter')

        # --- copy an image URI ----------------------------------------------------
        set_search(win, 'build-09998')
        wait_label(win, lambda n: n == '1 of 10,000 images shown', 'the search result')
        click_row(win, 0)
        digest = ecr.describe_images(repositoryName='big', imageIds=[{'imageTag': 'build-09998'}])[
            'imageDetails'][0]['imageDigest']
        wait_label(win, lambda n: n == digest, 'the full digest of build-09998 in the details')
        wharfui.find(win, 'Copy Image URI', wharfui.BUTTON).doActionNamed('click')
        expected = f'{big_uri}:build-09998'
        wharfui.wait_for(lambda: read_clipboard() == expected, 15, f'{expected} on the clipboard')
        app.screenshot('images-details')
        log('copied', expected)

        # --- delete two images ----------------------------------------------------
        set_search(win, 'build-0999')
        wait_label(win, lambda n: n == '8 of 10,000 images shown', 'the images to delete')
        # The rows are laid out again for the filter before the first one is clicked.
        wharfui.wait_for(lambda: (r := shown_rows(win)) and len(r) >= 2 and
                         all(c[0].startswith('build-0999') for c in r),
                         20, 'the filtered rows')
        from dogtail import rawinput
        click_row(win, 0)
        rawinput.keyCombo('<Shift>Down')
        wait_label(win, lambda n: n == '2 Images Selected', 'the two images selected', 20)
        wharfui.find(win, 'Delete Images', wharfui.BUTTON).doActionNamed('click')
        dialog_heading = wait_label(app.app, lambda n: n == 'Delete 2 Images?', 'the delete dialog')
        assert dialog_heading
        app.screenshot('images-delete-confirm')
        wharfui.find(app.app, 'Delete', wharfui.BUTTON).doActionNamed('click')
        wait_label(win, lambda n: n == '6 of 9,998 images shown', 'the list without them', 30)
        gone = []
        # Sorted by size, smallest first: the first two rows are the oldest of the eight.
        for tag in ('build-09990', 'build-09991'):
            try:
                ecr.describe_images(repositoryName='big', imageIds=[{'imageTag': tag}])
            except ecr.exceptions.ImageNotFoundException:
                gone.append(tag)
        assert gone == ['build-09990', 'build-09991'], f'deleted in the sandbox: {gone}'
        app.screenshot('images-deleted')
        log('deleted two images')

        # --- a seeded image's findings ---------------------------------------------
        open_repository(win, 'nginx-custom')
        set_search(win, 'latest')
        wait_label(win, lambda n: n == '1 of 4 images shown', 'the latest nginx-custom image')
        click_row(win, 0)
        wharfui.find(win, 'Vulnerabilities', None, clickable=True).doActionNamed('click')
        findings = ecr.describe_image_scan_findings(repositoryName='nginx-custom',
                                                    imageId={'imageTag': 'latest'})
        expected_counts = {k: 0 for k in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW',
                                          'INFORMATIONAL', 'UNDEFINED')}
        expected_counts.update(findings['imageScanFindings']['findingSeverityCounts'])
        shown = wharfui.wait_for(lambda: severity_counts(win), 20, 'the severity summary')
        assert shown == expected_counts, f'app shows {shown}, sandbox says {expected_counts}'
        first = findings['imageScanFindings']['findings'][0]['name']
        wait_label(win, lambda n: n == first, f'finding {first} in the list')
        app.screenshot('scan-results')
        log('findings match the sandbox:', shown)

        # --- export the findings as CSV ---------------------------------------------
        export_path = os.path.join(os.environ.get('HOME', tempfile.gettempdir()),
                                   'nginx-findings.csv')
        if os.path.exists(export_path):
            os.unlink(export_path)
        wharfui.find(win, 'Export Findings as CSV', wharfui.BUTTON).doActionNamed('click')
        # GTK's own save dialog (no portal in the test session); its name field has focus.
        export_button = wharfui.find(app.app, 'Export', wharfui.BUTTON, timeout=20)
        wharfui.on_screen(export_button, 20, 'the save dialog on screen')
        from dogtail import rawinput
        rawinput.keyCombo('<Control>a')
        rawinput.typeText(export_path)
        # The keys are queued in order: Return below comes after the path, whatever the
        # screenshot caught of it.
        app.screenshot('scan-export-dialog')
        rawinput.pressKey('Return')
        wharfui.wait_for(lambda: os.path.exists(export_path) and os.path.getsize(export_path) > 0,
                         20, 'the CSV file')
        with open(export_path, newline='', encoding='utf-8') as f:
            table = list(csv.DictReader(f))
        assert len(table) == len(findings['imageScanFindings']['findings']), len(table)
        assert sum(expected_counts.values()) == len(table)
        by_severity = {}
        for row in table:
            by_severity[row['severity']] = by_severity.get(row['severity'], 0) + 1
        assert by_severity == {k: v for k, v in expected_counts.items() if v}, by_severity
        assert table[0]['severity'] == 'CRITICAL' or expected_counts['CRITICAL'] == 0
        log('exported', len(table), 'findings to CSV')

        # --- scan an image that was never scanned, then hit the daily limit ------------
        open_repository(win, 'postgres-backup')
        set_search(win, '16')
        wait_label(win, lambda n: n == '1 of 2 images shown', 'postgres-backup:16')
        click_row(win, 0)
        wharfui.find(win, 'Vulnerabilities', None, clickable=True).doActionNamed('click')
        wait_label(win, lambda n: n == 'Not Scanned Yet', 'the not-scanned state')
        app.screenshot('scan-not-scanned')
        wharfui.find(win, 'Scan Now', wharfui.BUTTON).doActionNamed('click')
        wait_label(win, lambda n: n == 'Scanning…', 'the running scan', 10)
        app.screenshot('scan-in-progress')
        after = wharfui.wait_for(lambda: (r := ecr.describe_image_scan_findings(
            repositoryName='postgres-backup', imageId={'imageTag': '16'}))[
            'imageScanStatus']['status'] == 'COMPLETE' and r, 60, 'the sandbox to finish the scan')
        expected_after = {k: 0 for k in expected_counts}
        expected_after.update(after['imageScanFindings'].get('findingSeverityCounts', {}))
        done = wharfui.wait_for(lambda: (c := severity_counts(win)) == expected_after and c, 15,
                                f'the counts {expected_after}')
        assert done
        app.screenshot('scan-complete')
        wharfui.find(win, 'Scan Again', wharfui.BUTTON).doActionNamed('click')
        notice = wait_label(win, lambda n: 'at most once every 24 hours' in n and
                            'possible after' in n, 'the daily limit explained', 20)
        assert notice
        app.screenshot('scan-daily-limit')
        log('scan completed and the daily limit is explained')

        # --- push commands and logging Docker in ----------------------------------
        uri = sandbox.repository('postgres-backup')['repositoryUri']
        host = uri.split('/')[0]
        wharfui.find(win, 'Push Commands', wharfui.BUTTON).doActionNamed('click')
        dialog = wharfui.wait_for(lambda: app.app.findChild(
            lambda n: n.roleName in ('frame', 'window', 'dialog') and n.name == 'Push Commands',
            retry=False, requireResult=False), 20, 'the push commands')
        login = wait_label(dialog, lambda n: n.startswith('aws ecr get-login-password'),
                           'the authenticate command')
        assert f'--region {REGION}' in login.name and login.name.endswith(
            f'docker login --username AWS --password-stdin {host}'), login.name
        wait_label(dialog, lambda n: n == f'docker push {uri}:16', 'the push command')
        wait_label(dialog, lambda n: n == f'docker pull {uri}:16', 'the pull command')
        app.screenshot('push-commands')
        wharfui.find(dialog, 'Commands for Podman', wharfui.BUTTON).doActionNamed('click')
        wait_label(dialog, lambda n: n == f'podman push --tls-verify=false {uri}:16', 'the podman push command')
        wharfui.find(dialog, 'Commands for Windows PowerShell', wharfui.BUTTON).doActionNamed('click')
        app.screenshot('push-commands-podman-powershell')
        wharfui.find(dialog, 'Commands for Docker', wharfui.BUTTON).doActionNamed('click')

        # The Docker row comes first; GTK 4.8 names the button by its label ("Log In").
        button = wharfui.wait_for(lambda: dialog.findChild(
            lambda n: n.roleName in wharfui.BUTTON and 'Log In' in (n.name or '') and
            'Podman' not in n.name, retry=False, requireResult=False), 10,
            'the Log In Docker button')
        button.doActionNamed('click')
        wait_label(dialog, lambda n: n.startswith('Logged in until'), 'the login', 30)
        app.screenshot('docker-login')
        with open(tool_log, encoding='utf-8') as f:
            calls = [json.loads(line) for line in f if line.strip()]
        assert len(calls) == 1, calls
        call = calls[0]
        token = sandbox.last_response('GetAuthorizationToken')['authorizationData'][0]
        import base64
        user, password = base64.b64decode(token['authorizationToken']).decode().split(':', 1)
        assert call['program'] == 'docker'
        assert call['argv'][1:] == ['login', '--username', user, '--password-stdin', host], call['argv']
        assert call['stdin'] == password, 'the password did not arrive on stdin'
        assert not any(password in arg for arg in call['argv']), 'the password is in argv'
        log('docker logged in; the password went to stdin only')
    except Exception:
        app.screenshot('images-failure')
        raise
    finally:
        app.quit()
        sandbox.stop()


if __name__ == '__main__':
    main()
    print('ok: images view')
