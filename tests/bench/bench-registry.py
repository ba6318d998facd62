#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The practice registry's speed and memory, written into bench-results.json ("registry"):

- podman push and pull of a 50 MB image of 5 layers (random, incompressible) through
  wharf-sandbox and through Debian's docker-registry in the same run, as seconds and the
  sandbox/docker-registry ratio (medians of RUNS runs, each a new image pushed into a fresh
  repository, pulled into a fresh local store);
- the sandbox's peak resident memory while one 64 MiB blob streams in (a monolithic upload
  sent in 1 MiB chunks) and out: the growth of VmHWM must stay far below the blob's size, as
  no whole blob is ever buffered.

Never an assertion on time: the numbers are for people. Skips (77) without podman or
docker-registry."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'contract'))
import benchlib  # noqa: E402
import ecrmodel  # noqa: E402
import registry_judge  # noqa: E402

RUNS = int(os.environ.get('WHARF_BENCH_REGISTRY_RUNS', '3'))
LAYERS = 5
LAYER_SIZE = 10 * 1000 * 1000
STREAM_SIZE = 64 * 1024 * 1024


def hwm_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return None


def rss_kib(pid, field='VmRSS:'):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return None


def reset_hwm(pid):
    try:
        with open(f'/proc/{pid}/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def login_password(url, tmp):
    env = benchlib.aws_env()
    p = subprocess.run(['/usr/bin/aws', '--endpoint-url', url, 'ecr', 'get-login-password'],
                       capture_output=True, text=True, env=env, check=True)
    return p.stdout.strip()


def create_repository(url, name):
    subprocess.run(['/usr/bin/aws', '--endpoint-url', url, 'ecr', 'create-repository',
                    '--repository-name', name], capture_output=True, env=benchlib.aws_env(),
                   check=True)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def stream_blob(host, password, pid):
    """Uploads STREAM_SIZE random bytes in 1 MiB chunks (chunked transfer) and reads them
    back; returns the sandbox's peak RSS growth (KiB) during the upload and the download."""
    chunk = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    for _ in range(STREAM_SIZE // len(chunk)):
        digest.update(chunk)
    d = 'sha256:' + digest.hexdigest()
    http = registry_judge.Http(host, password)

    def body():
        for _ in range(STREAM_SIZE // len(chunk)):
            yield chunk

    reset_hwm(pid)
    before = rss_kib(pid)
    req = urllib.request.Request(f'http://{host}/v2/bench/stream/blobs/uploads/?digest={d}',
                                 data=body(), method='POST')
    req.add_header('Authorization', http.auth)
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req) as r:
        assert r.status == 201, r.status
    upload_growth = hwm_kib(pid) - before

    reset_hwm(pid)
    before = rss_kib(pid)
    got = hashlib.sha256()
    req = urllib.request.Request(f'http://{host}/v2/bench/stream/blobs/{d}')
    req.add_header('Authorization', http.auth)
    with urllib.request.urlopen(req) as r:
        while True:
            block = r.read(1024 * 1024)
            if not block:
                break
            got.update(block)
    assert 'sha256:' + got.hexdigest() == d
    download_growth = hwm_kib(pid) - before
    return upload_growth, download_growth, rss_kib(pid, 'RssAnon:')


def main():
    for tool in ('podman', 'docker-registry'):
        if not shutil.which(tool):
            print(f'SKIP: {tool} is not installed')
            return 77
    exe = os.environ.get('WHARF_SANDBOX_BIN')
    if not exe:
        print('SKIP: WHARF_SANDBOX_BIN is not set (run through meson test --benchmark)')
        return 77
    os.environ.setdefault('WHARF_SANDBOX_BIN', exe)
    results = {}
    with tempfile.TemporaryDirectory(prefix='wharf-bench-registry-') as tmp:
        pm = registry_judge.Podman(os.path.join(tmp, 'podman'))
        with ecrmodel.Sandbox('--state', os.path.join(tmp, 'state.json'), seed='empty') as sb, \
                registry_judge.DockerRegistry(tmp) as reference:
            host = f'127.0.0.1:{sb.port}'
            password = login_password(sb.url, tmp)
            pm.podman('login', '--tls-verify=false', '-u', 'AWS', '--password-stdin', host,
                      input=password + '\n')
            times = {'sandbox_push': [], 'docker_registry_push': [],
                     'sandbox_pull': [], 'docker_registry_pull': []}
            for run in range(RUNS):
                # new content each run: podman would otherwise mount or skip known blobs
                repo = f'bench/run{run}'
                files = {f'layer{i}.bin': os.urandom(LAYER_SIZE) for i in range(LAYERS)}
                pm.build('localhost/bench/image:v1', files)
                create_repository(sb.url, repo)
                for name, target in (('sandbox', host), ('docker_registry', reference.host)):
                    ref = f'{target}/{repo}:v1'
                    pm.podman('tag', 'localhost/bench/image:v1', ref)
                    times[name + '_push'].append(timed(lambda: pm.push(ref)))
                    # a fresh local store for each pull
                    puller = registry_judge.Podman(os.path.join(tmp, f'pull-{name}-{run}'))
                    shutil.copy(pm.authfile, puller.authfile)
                    times[name + '_pull'].append(timed(lambda: puller.podman(
                        'pull', '--tls-verify=false', ref)))
                    shutil.rmtree(puller.tmp, ignore_errors=True)
            for k, v in times.items():
                results[k + '_s'] = round(benchlib.median(v), 3)
            results['push_ratio'] = round(results['sandbox_push_s']
                                          / results['docker_registry_push_s'], 3)
            results['pull_ratio'] = round(results['sandbox_pull_s']
                                          / results['docker_registry_pull_s'], 3)
            results['image_mb'] = LAYERS * LAYER_SIZE / 1e6
            results['layers'] = LAYERS
            results['runs'] = RUNS

            create_repository(sb.url, 'bench/stream')
            pid = sb.proc.pid
            up, down, anon = stream_blob(host, password, pid)
            results['stream_blob_mib'] = STREAM_SIZE // (1024 * 1024)
            results['sandbox_peak_rss_growth_upload_kib'] = up
            results['sandbox_peak_rss_growth_download_kib'] = down
            results['sandbox_rss_anon_after_kib'] = anon
    benchlib.merge_results('registry', results)
    for k in sorted(results):
        print(f'{k}: {results[k]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
