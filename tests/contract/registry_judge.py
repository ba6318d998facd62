# SPDX-License-Identifier: GPL-3.0-or-later
"""Registry clients for the practice registry's tests: the same script runs against the
sandbox and against Debian's ``docker-registry`` (the reference Distribution
implementation), so their answers can be compared.

- ``DockerRegistry``: ``docker-registry serve`` from a YAML config in a temporary folder, on
  a free loopback port, filesystem storage there; always stopped.
- ``Podman``: podman and skopeo with a private ``--root``/``--runroot`` (vfs) and auth file,
  never the system store, never running a container.
- ``protocol_script``: raw HTTP steps of the Distribution API; returns what a client sees.
"""

import atexit
import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import ecrmodel

OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar'


def digest(data):
    return 'sha256:' + hashlib.sha256(data).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class DockerRegistry:
    """Debian's docker-registry as a plain process on 127.0.0.1, storage in @tmp."""

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, 'docker-registry')
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.host = f'127.0.0.1:{self.port}'
        self.config = os.path.join(self.dir, 'config.yml')
        with open(self.config, 'w') as f:
            f.write('version: 0.1\n'
                    'log:\n  level: error\n  accesslog:\n    disabled: true\n'
                    'storage:\n'
                    f'  filesystem:\n    rootdirectory: {self.dir}/storage\n'
                    '  delete:\n    enabled: true\n'
                    f'http:\n  addr: {self.host}\n')
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(['docker-registry', 'serve', self.config],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + ecrmodel.scaled(30)
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f'http://{self.host}/v2/', timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise AssertionError('docker-registry did not answer on ' + self.host)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=ecrmodel.scaled(10))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __exit__(self, *exc):
        self.stop()
        return False


class Podman:
    """podman and skopeo with private storage under @tmp (vfs), TLS verification off."""

    def __init__(self, tmp):
        self.tmp = tmp
        os.makedirs(tmp, exist_ok=True)
        self.root = os.path.join(tmp, 'root')
        # podman refuses a runroot longer than 50 characters: a short one under /tmp
        self.runroot = tempfile.mkdtemp(prefix='wr-', dir='/tmp')
        atexit.register(shutil.rmtree, self.runroot, True)
        self.authfile = os.path.join(tmp, 'auth.json')
        self.env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        self.env['REGISTRY_AUTH_FILE'] = self.authfile
        self.env['TMPDIR'] = tmp
        conf = os.path.join(tmp, 'containers.conf')
        with open(conf, 'w') as f:
            f.write('[engine]\nevents_logger = "none"\ncgroup_manager = "cgroupfs"\n')
        self.env['CONTAINERS_CONF'] = conf
        registries = os.path.join(tmp, 'registries.conf')
        with open(registries, 'w') as f:
            f.write('unqualified-search-registries = []\n')
        self.env['CONTAINERS_REGISTRIES_CONF'] = registries

    def podman(self, *args, input=None, check=True):
        argv = ['podman', '--root', self.root, '--runroot', self.runroot,
                '--storage-driver', 'vfs', *args]
        return self._run(argv, input, check)

    def skopeo(self, *args, check=True):
        return self._run(['skopeo', *args], None, check)

    def _run(self, argv, input, check):
        p = subprocess.run(argv, input=input, capture_output=True, text=True, env=self.env,
                           timeout=ecrmodel.scaled(300))
        if check and p.returncode != 0:
            raise AssertionError(f'{" ".join(argv[:6])}… failed ({p.returncode}): '
                                 f'{p.stderr.strip()[-600:]}')
        return p

    def build(self, tag, files, platform=None):
        """Builds FROM scratch + COPY of @files ({name: bytes}); returns the image id."""
        ctx = os.path.join(self.tmp, 'ctx-' + hashlib.sha1(tag.encode()).hexdigest()[:8])
        os.makedirs(ctx, exist_ok=True)
        lines = ['FROM scratch']
        for name, data in files.items():
            with open(os.path.join(ctx, name), 'wb') as f:
                f.write(data)
            lines.append(f'COPY {name} /{name}')
        with open(os.path.join(ctx, 'Containerfile'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        args = ['build', '-q', '--layers=false', '-t', tag]
        if platform:
            args += ['--platform', platform]
        return self.podman(*args, ctx).stdout.strip().splitlines()[-1]

    def push(self, ref):
        """Pushes @ref; returns the manifest digest podman wrote."""
        digestfile = os.path.join(self.tmp, 'digest')
        self.podman('push', '--tls-verify=false', '--digestfile', digestfile, ref)
        with open(digestfile) as f:
            return f.read().strip()


class Http:
    """Raw registry requests with optional Basic auth."""

    def __init__(self, host, password=None):
        self.base = f'http://{host}'
        self.auth = None
        if password:
            self.auth = 'Basic ' + base64.b64encode(f'AWS:{password}'.encode()).decode()

    def __call__(self, method, path, body=None, headers=None):
        url = path if path.startswith('http') else self.base + path
        req = urllib.request.Request(url, data=body, method=method)
        if self.auth:
            req.add_header('Authorization', self.auth)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=ecrmodel.scaled(60)) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()


def _error_code(body):
    try:
        return json.loads(body)['errors'][0]['code']
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _path(location):
    """The path of a Location (docker-registry sends absolute URLs, the sandbox paths)."""
    if location and location.startswith('http'):
        return '/' + location.split('/', 3)[3]
    return location


def protocol_script(http, repo, salt):
    """The Distribution API steps a client relies on; returns [(step, observation)] where an
    observation holds what must agree between registries."""
    seen = []

    def see(step, status, headers, body, keep=()):
        o = {'status': status}
        for name in keep:
            value = headers.get(name)
            o[name] = value if name in ('Docker-Content-Digest', 'Content-Length', 'Range',
                                        'Content-Type') else value is not None
        code = _error_code(body) if status >= 400 else None
        if code:
            o['code'] = code
        seen.append((step, o))
        return headers

    config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'salt': salt}).encode()
    layer = os.urandom(3000) + salt.encode()
    cd, ld = digest(config), digest(layer)

    see('ping', *http('GET', '/v2/'))
    see('head unknown blob', *http('HEAD', f'/v2/{repo}/blobs/{ld}'))
    # A single-request upload as podman and skopeo do it: start a session, PUT the content.
    # (POST ?digest= alone is optional in the spec and docker-registry 2.8 answers it with a
    # session; the sandbox's 201 for it is checked in tests/test-registry.c.)
    h = see('start upload for config', *http('POST', f'/v2/{repo}/blobs/uploads/'),
            keep=('Location', 'Docker-Upload-UUID'))
    location = _path(h.get('Location'))
    sep = '&' if '?' in location else '?'
    see('put whole blob', *http('PUT', f'{location}{sep}digest={cd}', config,
                                {'Content-Type': 'application/octet-stream'}),
        keep=('Docker-Content-Digest', 'Location'))
    see('head blob', *http('HEAD', f'/v2/{repo}/blobs/{cd}'),
        keep=('Docker-Content-Digest', 'Content-Length'))
    status, headers, body = http('GET', f'/v2/{repo}/blobs/{cd}')
    seen.append(('get blob', {'status': status, 'digest': digest(body)}))

    h = see('start upload', *http('POST', f'/v2/{repo}/blobs/uploads/'),
            keep=('Location', 'Docker-Upload-UUID', 'Range'))
    location = _path(h.get('Location'))
    sep = '&' if '?' in location else '?'
    h = see('patch chunk', *http('PATCH', location, layer[:1000],
                                 {'Content-Type': 'application/octet-stream',
                                  'Content-Range': '0-999'}),
            keep=('Location', 'Range'))
    location = _path(h.get('Location')) or location
    # (A PATCH whose Content-Range does not continue the upload is 416 in OCI 1.1; the
    # sandbox's answer is checked in tests/test-registry.c: docker-registry 2.8 ignores
    # Content-Range, so the step is not compared.)
    see('upload status', *http('GET', location), keep=('Range',))
    h = see('patch rest', *http('PATCH', location, layer[1000:],
                                {'Content-Type': 'application/octet-stream',
                                 'Content-Range': f'1000-{len(layer) - 1}'}),
            keep=('Range',))
    location = _path(h.get('Location')) or location
    sep = '&' if '?' in location else '?'
    see('finish upload', *http('PUT', f'{location}{sep}digest={ld}'),
        keep=('Docker-Content-Digest', 'Location'))

    h = see('start upload 2', *http('POST', f'/v2/{repo}/blobs/uploads/'))
    location = _path(h.get('Location'))
    sep = '&' if '?' in location else '?'
    see('wrong digest', *http('PUT', f'{location}{sep}digest={digest(b"other")}', b'content',
                              {'Content-Type': 'application/octet-stream'}))
    # docker-registry 2.8 calls an upload without its _state token BLOB_UPLOAD_INVALID; OCI
    # 1.1 and ECR say BLOB_UPLOAD_UNKNOWN: only the status is compared.
    status, _, _ = http('GET', f'/v2/{repo}/blobs/uploads/00000000-0000-0000-0000-000000000000')
    seen.append(('unknown upload', {'status': status}))

    manifest = json.dumps({
        'schemaVersion': 2, 'mediaType': OCI_MANIFEST,
        'config': {'mediaType': OCI_CONFIG, 'size': len(config), 'digest': cd},
        'layers': [{'mediaType': OCI_LAYER, 'size': len(layer), 'digest': ld}]}).encode()
    md = digest(manifest)
    see('put manifest', *http('PUT', f'/v2/{repo}/manifests/v1', manifest,
                              {'Content-Type': OCI_MANIFEST}),
        keep=('Docker-Content-Digest', 'Location'))
    see('get manifest', *http('GET', f'/v2/{repo}/manifests/v1', None,
                              {'Accept': OCI_MANIFEST}),
        keep=('Docker-Content-Digest', 'Content-Type', 'Content-Length'))
    see('head manifest by digest', *http('HEAD', f'/v2/{repo}/manifests/{md}', None,
                                         {'Accept': OCI_MANIFEST}),
        keep=('Docker-Content-Digest',))
    bad = json.dumps({
        'schemaVersion': 2, 'mediaType': OCI_MANIFEST,
        'config': {'mediaType': OCI_CONFIG, 'size': 5, 'digest': digest(b'never' + salt.encode())},
        'layers': []}).encode()
    see('manifest with unknown blob', *http('PUT', f'/v2/{repo}/manifests/bad', bad,
                                            {'Content-Type': OCI_MANIFEST}))
    see('put tag v2', *http('PUT', f'/v2/{repo}/manifests/v2', manifest,
                            {'Content-Type': OCI_MANIFEST}),
        keep=('Docker-Content-Digest',))
    # Pages of one tag, following Link as clients do (docker-registry 2.8 ignores n and
    # answers every tag at once): the tags seen must agree.
    tags, path, pages = [], f'/v2/{repo}/tags/list?n=1', 0
    while path and pages < 10:
        status, headers, body = http('GET', path)
        tags += json.loads(body).get('tags') or [] if status == 200 else []
        link = headers.get('Link')
        path = link[1:link.index('>')] if link else None
        pages += 1
    seen.append(('tags pages', {'status': status, 'tags': sorted(tags)}))
    see('unknown manifest', *http('GET', f'/v2/{repo}/manifests/nope', None,
                                  {'Accept': OCI_MANIFEST}))
    see('delete manifest', *http('DELETE', f'/v2/{repo}/manifests/{md}'))
    see('deleted manifest', *http('GET', f'/v2/{repo}/manifests/{md}', None,
                                  {'Accept': OCI_MANIFEST}))
    return seen, md


def registry_available():
    return shutil.which('docker-registry') is not None
