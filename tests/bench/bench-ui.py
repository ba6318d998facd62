#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""UI benchmarks, under the test session's Xvfb with the cairo renderer, measured through
AT-SPI (what a person would see, to within the ~20 ms polling step):

  ui_startup  launching the app (an environment account pointed at a sandbox with 1,000
              repositories more than the demo seed) until the window shows the first
              repository row;
  ui_images   selecting the repository "big" (10,000 images) until the image count reads
              "10,000 images" (the last page is in the list).

    bench-ui.py ui_startup|ui_images      (the sandbox: $WHARF_BUILD_ROOT/src/sandbox)

wharf_s: median seconds; wharf_rss_kb: median of the app's peak RSS (VmHWM) at that moment;
for ui_images also wharf_startup_rss_kb, the peak RSS just before "big" is selected, and
rss_ratio, the median of loaded / startup per run (issue #10).
WHARF_BENCH_RUNS sets the number of runs (default 5). Skips (77) without a session."""

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'ui'))
import benchlib  # noqa: E402
import wharfui  # noqa: E402

N_REPOSITORIES = 1000
POLL = 0.02
COUNT_RE = re.compile(r'^10[,.\u202f\u00a0 ]?000 images$')


def peak_rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return None


def poll(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # AT-SPI objects come and go while the UI changes
            pass
        time.sleep(POLL)
    raise AssertionError(f'timed out waiting for {what}')


def search(root, pred):
    """Depth-first search that does not descend into tables: a column view's cells are
    thousands of AT-SPI calls, and the rows we look for are in the sidebar."""
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


def find_named(root, names):
    return search(root, lambda n: n.roleName == 'label' and wharfui.norm(n.name) in names)


def launch(sandbox):
    """Starts the app; returns (App, start time)."""
    env = dict(sandbox.env())
    start = time.perf_counter()
    app = wharfui.App(extra_env=env)
    return app, start


def ecr_client(sandbox):
    return sandbox.ecr()


def measure_startup(runs):
    with wharfui.Sandbox(seed='demo') as sandbox:
        ecr = ecr_client(sandbox)
        names = [f'bench/startup-{i:04d}' for i in range(N_REPOSITORIES)]

        def create(chunk):
            client = ecr_client(sandbox)  # botocore clients are not shared between threads
            for name in chunk:
                client.create_repository(repositoryName=name)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(create, [names[i::8] for i in range(8)]))
        all_names = {r['repositoryName'] for page in
                     ecr.get_paginator('describe_repositories').paginate()
                     for r in page['repositories']}
        print(f'ui_startup: sandbox {sandbox.url} with {len(all_names)} repositories')
        times, rss = [], []
        for i in range(runs + 1):
            app, start = launch(sandbox)
            try:
                win = poll(app._frame, 30, 'the main window')
                poll(lambda: find_named(win, all_names), 30, 'a repository row')
                elapsed = time.perf_counter() - start
                kb = peak_rss_kb(app.proc.pid)
            finally:
                app.quit()
            if i == 0:
                print(f'  warm-up: {elapsed:.3f} s, {kb} KiB')
                continue
            times.append(elapsed)
            rss.append(kb)
            print(f'  run {i}: {elapsed:.3f} s, {kb} KiB')
    return times, rss


def measure_images(runs):
    times, rss, startup_rss, ratios = [], [], [], []
    with wharfui.Sandbox(seed='big') as sandbox:
        print(f'ui_images: sandbox {sandbox.url}, repository big')
        for i in range(runs + 1):
            app, _ = launch(sandbox)
            try:
                win = poll(app._frame, 30, 'the main window')
                label = poll(lambda: find_named(win, {'big'}), 30, 'the row of repository big')
                startup_kb = peak_rss_kb(app.proc.pid)
                start = time.perf_counter()
                # The sidebar's rows are list items holding the name's label; select through
                # AT-SPI's Selection, as a click would.
                label.parent.select()
                poll(lambda: search(win, lambda n: n.roleName == 'label'
                                    and COUNT_RE.match(n.name or '')),
                     180, '"10,000 images"')
                elapsed = time.perf_counter() - start
                kb = peak_rss_kb(app.proc.pid)
            finally:
                app.quit()
            if i == 0:
                print(f'  warm-up: {elapsed:.3f} s, {kb} KiB (startup {startup_kb} KiB)')
                continue
            times.append(elapsed)
            rss.append(kb)
            startup_rss.append(startup_kb)
            ratios.append(kb / startup_kb)
            print(f'  run {i}: {elapsed:.3f} s, {kb} KiB (startup {startup_kb} KiB, '
                  f'{kb / startup_kb:.2f}×)')
    measure_images.extra = {
        'wharf_startup_rss_kb': int(benchlib.median(startup_rss)),
        'rss_ratio': round(benchlib.median(ratios), 3),
    }
    return times, rss


def main():
    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        print('SKIP: no X display or session bus; run through build-aux/wharf-test-session')
        return 77
    wharfui.require_session()
    which = sys.argv[1]
    runs = int(os.environ.get('WHARF_BENCH_RUNS', '5'))
    if which == 'ui_startup':
        times, rss = measure_startup(runs)
    else:
        times, rss = measure_images(runs)
    benchlib.merge_results(which, {
        'wharf_s': round(benchlib.median(times), 4),
        'wharf_rss_kb': int(benchlib.median(rss)),
        'runs': runs,
        **(measure_images.extra if which == 'ui_images' else {}),
    })
    print()
    benchlib.print_table()
    return 0


if __name__ == '__main__':
    sys.exit(main())
