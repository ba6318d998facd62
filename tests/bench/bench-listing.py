#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Listing benchmarks: Wharf's client, the AWS CLI and a plain curl loop (the floor: signing,
HTTP and reading nextToken, nothing else) list the same thing from the same sandbox, on the
same machine, in the same run, interleaved round by round.

    bench-listing.py list_images|list_repositories WHARF_SANDBOX BENCH_LIST

Writes {"wharf_s", "aws_cli_s", "curl_s", "wharf_rss_kb", "aws_cli_rss_kb", …} (medians)
under the benchmark's name in $WHARF_BUILD_ROOT/bench-results.json and prints the table.
WHARF_BENCH_RUNS sets the number of measured rounds (default 5)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

TARGET = 'AmazonEC2ContainerRegistry_V20150921.'
PAGE = 1000

CASES = {
    # seed, operation, request body, item key, expected count (at least)
    'list_images': ('big', 'DescribeImages', {'repositoryName': 'big'}, b'"imageDigest"', 10000),
    'list_repositories': ('many', 'DescribeRepositories', {}, b'"repositoryArn"', 10000),
}


def run_wharf(bench_list, url, name):
    if name == 'list_images':
        argv = [bench_list, 'images', 'big', url]
    else:
        argv = [bench_list, 'repositories', url]
    seconds, rss, out = benchlib.run_measured(argv, env=benchlib.clean_env())
    return seconds, rss, json.loads(out)['items'], benchlib.run_measured.cpu


def run_aws_cli(url, name, page_size=None):
    if name == 'list_images':
        argv = ['/usr/bin/aws', 'ecr', 'describe-images', '--repository-name', 'big']
        key = 'imageDetails'
    else:
        argv = ['/usr/bin/aws', 'ecr', 'describe-repositories']
        key = 'repositories'
    argv += ['--endpoint-url', url, '--region', benchlib.REGION, '--output', 'json']
    if page_size:
        argv += ['--page-size', str(page_size)]
    seconds, rss, out = benchlib.run_measured(argv, env=benchlib.aws_env())
    return seconds, rss, len(json.loads(out)[key]), benchlib.run_measured.cpu


def run_curl(url, operation, body, item_key):
    """One curl process per page, as a shell loop would; only nextToken is read."""
    env = benchlib.clean_env()
    total = 0.0
    cpu = 0.0
    items = 0
    token = None
    while True:
        request = dict(body, maxResults=PAGE)
        if token:
            request['nextToken'] = token
        argv = ['curl', '-sS', '--fail-with-body', '--aws-sigv4', 'aws:amz:%s:ecr' % benchlib.REGION,
                '--user', '%s:%s' % (benchlib.PRACTICE_KEY_ID, benchlib.PRACTICE_SECRET),
                '-H', 'Content-Type: application/x-amz-json-1.1',
                '-H', 'X-Amz-Target: ' + TARGET + operation,
                '--data-binary', '@-', url + '/']
        seconds, _, out = benchlib.run_measured(argv, env=env,
                                                stdin_data=json.dumps(request).encode())
        total += seconds
        cpu += benchlib.run_measured.cpu
        items += out.count(item_key)
        # The token is the last member ECR writes; find it without parsing the page.
        i = out.rfind(b'"nextToken"')
        if i < 0:
            break
        start = out.index(b'"', out.index(b':', i) + 1) + 1
        token = out[start:out.index(b'"', start)].decode()
    return total, items, cpu


def main():
    name, sandbox_exe, bench_list = sys.argv[1:4]
    seed, operation, body, item_key, expected = CASES[name]
    runs = int(os.environ.get('WHARF_BENCH_RUNS', '5'))
    wharf_s, wharf_rss, aws_s, aws_rss, curl_s = [], [], [], [], []
    wharf_cpu, aws_cpu, curl_cpu = [], [], []

    with benchlib.Sandbox(sandbox_exe, seed) as sandbox:
        url = sandbox.url
        # Warm-up round (not measured): checks that all three list everything.
        counts = {
            'wharf': run_wharf(bench_list, url, name)[2],
            'aws cli': run_aws_cli(url, name)[2],
            'curl': run_curl(url, operation, body, item_key)[1],
        }
        print('%s against %s (seed %s): items listed: %s' % (name, url, seed, counts))
        if len(set(counts.values())) != 1 or counts['wharf'] < expected:
            print('the clients disagree or list fewer than %d items' % expected, file=sys.stderr)
            return 1

        for i in range(runs):
            s, rss, _, cpu = run_wharf(bench_list, url, name)
            wharf_s.append(s)
            wharf_rss.append(rss)
            wharf_cpu.append(cpu)
            s, rss, _, cpu = run_aws_cli(url, name)
            aws_s.append(s)
            aws_rss.append(rss)
            aws_cpu.append(cpu)
            s, _, cpu = run_curl(url, operation, body, item_key)
            curl_s.append(s)
            curl_cpu.append(cpu)
            print('round %d: wharf %.3f s (%d KiB, CPU %.3f s), aws cli %.3f s (%d KiB, CPU %.3f s), '
                  'curl %.3f s (CPU %.3f s)'
                  % (i + 1, wharf_s[-1], wharf_rss[-1], wharf_cpu[-1], aws_s[-1], aws_rss[-1],
                     aws_cpu[-1], curl_s[-1], curl_cpu[-1]))

    results = {
        'wharf_s': round(benchlib.median(wharf_s), 4),
        'aws_cli_s': round(benchlib.median(aws_s), 4),
        'curl_s': round(benchlib.median(curl_s), 4),
        'wharf_rss_kb': int(benchlib.median(wharf_rss)),
        'aws_cli_rss_kb': int(benchlib.median(aws_rss)),
        'wharf_min_s': round(min(wharf_s), 4),
        'aws_cli_min_s': round(min(aws_s), 4),
        'curl_min_s': round(min(curl_s), 4),
        'wharf_cpu_s': round(benchlib.median(wharf_cpu), 4),
        'aws_cli_cpu_s': round(benchlib.median(aws_cpu), 4),
        'curl_cpu_s': round(benchlib.median(curl_cpu), 4),
        'load_average': round(os.getloadavg()[0], 2),
        'items': counts['wharf'],
        'runs': runs,
    }
    benchlib.merge_results(name, results)
    print()
    benchlib.print_table()
    return 0


if __name__ == '__main__':
    sys.exit(main())
