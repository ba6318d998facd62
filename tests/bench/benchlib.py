# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the benchmark drivers: the results file, process timing, the sandbox, the table."""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

PRACTICE_KEY_ID = 'AKIAWHARFPRACTICE001'
PRACTICE_SECRET = 'wharf/practice/secret/key/not+for+aws0000000'
REGION = 'us-east-1'


def results_path():
    root = os.environ.get('WHARF_BUILD_ROOT', '.')
    return os.path.join(root, 'bench-results.json')


def merge_results(key, values):
    """Writes @values under @key, keeping what other benchmarks wrote."""
    path = results_path()
    data = {}
    try:
        with open(path) as f:
            data = json.load(f)
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        pass
    data[key] = values
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write('\n')
    os.replace(tmp, path)


def run_measured(argv, env=None, stdin_data=None, capture=True):
    """Runs one process; returns (seconds, max RSS in KiB, stdout bytes); the CPU seconds
    (user + system) of the last call are in run_measured.cpu. Raises on failure.
    The RSS comes from wait4() for exactly this process, so the process is reaped here and
    not by subprocess."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env,
                                stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                                stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                                stderr=err)
        if stdin_data is not None:
            proc.stdin.write(stdin_data)
            proc.stdin.close()
        out = proc.stdout.read() if capture else b''
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        run_measured.cpu = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        if capture:
            proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError('%s failed (%d): %s' % (argv[0], proc.returncode,
                                                       err.read().decode(errors='replace')[-2000:]))
    return seconds, usage.ru_maxrss, out


def median(values):
    return statistics.median(values) if values else None


class Sandbox:
    """The wharf-sandbox command on a free loopback port."""

    def __init__(self, exe, seed):
        self.proc = subprocess.Popen([exe, '--listen', '127.0.0.1:0', '--seed', seed],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=clean_env())
        line = self.proc.stdout.readline().decode()
        m = re.search(r'(http://127\.0\.0\.1:\d+)', line)
        if not m:
            self.proc.kill()
            raise RuntimeError('wharf-sandbox did not report its URL: %r %r'
                               % (line, self.proc.stderr.read().decode(errors='replace')))
        self.url = m.group(1)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
    env.update(extra or {})
    return env


def aws_env():
    env = clean_env({
        'AWS_ACCESS_KEY_ID': PRACTICE_KEY_ID,
        'AWS_SECRET_ACCESS_KEY': PRACTICE_SECRET,
        'AWS_DEFAULT_REGION': REGION,
        'AWS_PAGER': '',
        'AWS_EC2_METADATA_DISABLED': 'true',
        # No ~/.aws of the person running the benchmark.
        'AWS_CONFIG_FILE': '/dev/null',
        'AWS_SHARED_CREDENTIALS_FILE': '/dev/null',
    })
    shared = os.environ.get('WHARF_SHARED_DIR')
    if shared and os.path.isdir(os.path.join(shared, 'testdata', 'ecr-model')):
        env['AWS_DATA_PATH'] = os.path.join(shared, 'testdata', 'ecr-model')
    return env


def fmt(value, unit=''):
    if value is None:
        return '—'
    if isinstance(value, float):
        if value >= 100:
            return '%.0f%s' % (value, unit)
        return '%.3g%s' % (value, unit)
    return '%s%s' % (value, unit)


def ratio(r, a, b):
    return fmt(r[a] / r[b], '×') if r.get(a) and r.get(b) else '—'


def print_table(out=sys.stdout):
    """The whole results file as a table, with the ratios the goals are stated in."""
    try:
        with open(results_path()) as f:
            data = json.load(f)
    except (OSError, ValueError):
        print('no benchmark results in %s' % results_path(), file=out)
        return
    others = []
    rows = [('benchmark', 'wharf', 'aws cli', 'curl', 'wharf/curl', 'aws cli/wharf',
             'wharf RSS', 'aws cli RSS', 'best: wharf/curl', 'CPU: wharf/curl')]
    for name in sorted(data):
        r = data[name]
        if not isinstance(r, dict):
            continue
        if 'wharf_per_s' in r:
            rows.append((name, fmt(float(r['wharf_per_s'])) + '/s') + ('—',) * 8)
            continue
        if 'wharf_s' not in r:
            others.append('%s: %s' % (name, ', '.join('%s = %s' % (k, r[k]) for k in sorted(r))))
            continue
        w, a, c = r.get('wharf_s'), r.get('aws_cli_s'), r.get('curl_s')
        rows.append((
            name,
            fmt(w, ' s'), fmt(a, ' s'), fmt(c, ' s'),
            fmt(w / c, '×') if w and c else '—',
            fmt(a / w, '×') if w and a else '—',
            fmt(r['wharf_rss_kb'] / 1024, ' MiB') if r.get('wharf_rss_kb') else '—',
            fmt(r['aws_cli_rss_kb'] / 1024, ' MiB') if r.get('aws_cli_rss_kb') else '—',
            ratio(r, 'wharf_min_s', 'curl_min_s'),
            ratio(r, 'wharf_cpu_s', 'curl_cpu_s'),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print('  '.join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip(), file=out)
        if n == 0:
            print('  '.join('-' * w for w in widths), file=out)
    for line in others:
        print(line, file=out)
    print('(times: medians of wall-clock seconds per full listing, process start included; '
          'RSS: peak resident set of that process; best: the fastest run of each; CPU: '
          'median user+system seconds of the client processes)', file=out)
