#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The practice registry with real clients, nothing mocked, all on 127.0.0.1.

Starts ``wharf-sandbox`` (WHARF_SANDBOX_BIN) and drives it with Debian's podman and skopeo
(private storage, never a container run): podman login with the password of
``aws ecr get-login-password``, build FROM scratch + COPY, push, pull, a two-platform
manifest list, skopeo copy/inspect/list-tags/delete. Then checks with botocore that ECR's
JSON view agrees (digest, size, media types, tags, immutability refusal, delete → 404).
Finally Debian's docker-registry judges: the same client script runs against it and the
sandbox, and what the clients see must agree (status codes, headers clients depend on,
error codes, digests)."""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402
import registry_judge  # noqa: E402
from registry_judge import Http, Podman  # noqa: E402

REPO = 'contract/app'
AWS = '/usr/bin/aws'


def login_password(model_dir, url, tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
    env.update(AWS_ACCESS_KEY_ID=ecrmodel.PRACTICE_ACCESS_KEY_ID,
               AWS_SECRET_ACCESS_KEY=ecrmodel.PRACTICE_SECRET_ACCESS_KEY,
               AWS_DATA_PATH=model_dir, HOME=tmp, AWS_CONFIG_FILE=os.path.join(tmp, 'none'),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, 'none'))
    p = subprocess.run([AWS, '--endpoint-url', url, '--region', ecrmodel.DEFAULT_REGION,
                        'ecr', 'get-login-password'], capture_output=True, text=True, env=env,
                       timeout=ecrmodel.scaled(120))
    if p.returncode != 0:
        raise AssertionError(f'aws ecr get-login-password failed: {p.stderr.strip()}')
    return p.stdout.strip()


def image_files(name, size=200000):
    return {f'{name}.bin': os.urandom(size), f'{name}.txt': f'hello from {name}\n'.encode()}


def clients_against_sandbox(t, model_dir, tmp, sandbox):
    client = ecrmodel.botocore_client(model_dir, sandbox.url)
    host = f'127.0.0.1:{sandbox.port}'
    client.create_repository(repositoryName=REPO)
    client.create_repository(repositoryName='contract/multi')

    token = client.get_authorization_token()['authorizationData'][0]
    t.check(token['proxyEndpoint'] == sandbox.url, f'proxyEndpoint {token["proxyEndpoint"]}')
    password = login_password(model_dir, sandbox.url, tmp)
    t.check(base64.b64decode(token['authorizationToken']).decode().startswith('AWS:'),
            'the token is base64 of AWS:<password>')

    pm = Podman(os.path.join(tmp, 'podman'))
    # Without logging in, a push is refused.
    pm.build(f'{host}/{REPO}:v1', image_files('one'))
    refused = pm.podman('push', '--tls-verify=false', f'{host}/{REPO}:v1', check=False)
    t.check(refused.returncode != 0, 'a push without login is refused')
    # A wrong password is refused.
    wrong = pm.podman('login', '--tls-verify=false', '-u', 'AWS', '--password-stdin', host,
                      input='bm90IGEgcGFzc3dvcmQ=\n', check=False)
    t.check(wrong.returncode != 0, 'podman login with a forged password fails')
    pm.podman('login', '--tls-verify=false', '-u', 'AWS', '--password-stdin', host,
              input=password + '\n')

    pushed = pm.push(f'{host}/{REPO}:v1')
    raw = pm.skopeo('inspect', '--tls-verify=false', '--authfile', pm.authfile, '--raw',
                    f'docker://{host}/{REPO}:v1').stdout
    manifest = json.loads(raw)
    t.check(registry_judge.digest(raw.encode()) == pushed,
            f'the manifest served has the digest podman pushed ({pushed})')
    size = manifest['config']['size'] + sum(layer['size'] for layer in manifest['layers'])
    images = client.describe_images(repositoryName=REPO)['imageDetails']
    t.check(len(images) == 1, f'DescribeImages lists {len(images)} image(s)')
    if images:
        d = images[0]
        t.check(d['imageDigest'] == pushed, f'DescribeImages digest {d["imageDigest"]} vs {pushed}')
        t.check(d['imageSizeInBytes'] == size,
                f'imageSizeInBytes {d["imageSizeInBytes"]} = config + layers {size}')
        t.check(d['imageManifestMediaType'] == manifest['mediaType'],
                f'imageManifestMediaType {d["imageManifestMediaType"]}')
        t.check(d.get('artifactMediaType') == manifest['config']['mediaType'],
                f'artifactMediaType {d.get("artifactMediaType")}')
        t.check(d['imageTags'] == ['v1'], f'imageTags {d["imageTags"]}')
    got = client.batch_get_image(repositoryName=REPO, imageIds=[{'imageTag': 'v1'}],
                                 acceptedMediaTypes=[manifest['mediaType']])['images']
    t.check(got and got[0]['imageManifest'] == raw, 'BatchGetImage returns the exact bytes')

    # Pull into an empty store.
    pm.podman('rmi', '-a', '-f')
    pulled = pm.podman('pull', '--tls-verify=false', f'{host}/{REPO}:v1', check=False)
    t.check(pulled.returncode == 0, f'podman pull: {pulled.stderr.strip()[-300:]}')
    listed = pm.podman('images', '--digests', '--format', '{{.Digest}}').stdout.split()
    t.check(pushed in listed, f'the pulled image has digest {pushed}: {listed}')

    # skopeo: copy to a new tag, inspect, list-tags.
    creds = ['--authfile', pm.authfile]
    pm.skopeo('copy', '--src-tls-verify=false', '--dest-tls-verify=false', *creds,
              f'docker://{host}/{REPO}:v1', f'docker://{host}/{REPO}:copied')
    inspected = json.loads(pm.skopeo('inspect', '--tls-verify=false', *creds,
                                     f'docker://{host}/{REPO}:copied').stdout)
    t.check(inspected['Digest'] == pushed, f'skopeo inspect digest {inspected["Digest"]}')
    tags = json.loads(pm.skopeo('list-tags', '--tls-verify=false', *creds,
                                f'docker://{host}/{REPO}').stdout)['Tags']
    t.check(sorted(tags) == ['copied', 'v1'], f'skopeo list-tags {tags}')
    ecr_tags = client.describe_images(repositoryName=REPO)['imageDetails'][0]['imageTags']
    t.check(sorted(ecr_tags) == ['copied', 'v1'], f'DescribeImages tags {ecr_tags}')

    # A two-platform index with podman manifest.
    pm.build(f'{host}/contract/multi:amd64', image_files('amd'), platform='linux/amd64')
    pm.build(f'{host}/contract/multi:arm64', image_files('arm'), platform='linux/arm64')
    pm.podman('manifest', 'create', 'multi-list')
    pm.podman('manifest', 'add', 'multi-list', f'containers-storage:{host}/contract/multi:amd64')
    pm.podman('manifest', 'add', 'multi-list', f'containers-storage:{host}/contract/multi:arm64')
    digestfile = os.path.join(pm.tmp, 'index-digest')
    pm.podman('manifest', 'push', '--all', '--tls-verify=false', '--digestfile', digestfile,
              'multi-list', f'docker://{host}/contract/multi:latest')
    with open(digestfile) as f:
        index_digest = f.read().strip()
    details = {d['imageDigest']: d for d in
               client.describe_images(repositoryName='contract/multi')['imageDetails']}
    t.check(index_digest in details, f'the index {index_digest} is an image')
    if index_digest in details:
        d = details[index_digest]
        t.check(d['imageManifestMediaType'] in (
                    'application/vnd.oci.image.index.v1+json',
                    'application/vnd.docker.distribution.manifest.list.v2+json'),
                f'index media type {d["imageManifestMediaType"]}')
        t.check(d.get('imageTags') == ['latest'], f'index tags {d.get("imageTags")}')
    t.check(len(details) == 3, f'the index and its two platform images: {len(details)} images')
    raw_index = json.loads(pm.skopeo('inspect', '--tls-verify=false', *creds, '--raw',
                                     f'docker://{host}/contract/multi:latest').stdout)
    platforms = sorted(m['platform']['architecture'] for m in raw_index['manifests'])
    t.check(platforms == ['amd64', 'arm64'], f'index platforms {platforms}')

    # Immutability: moving a tag is refused.
    client.put_image_tag_mutability(repositoryName=REPO, imageTagMutability='IMMUTABLE')
    pm.build(f'{host}/{REPO}:v1', image_files('two'))
    moved = pm.podman('push', '--tls-verify=false', f'{host}/{REPO}:v1', check=False)
    t.check(moved.returncode != 0, 'pushing another image to an immutable tag is refused')
    t.check('tag invalid' in moved.stderr.lower() or 'tag_invalid' in moved.stderr.lower(),
            f'the refusal says TAG_INVALID: {moved.stderr.strip()[-300:]}')
    after = client.describe_images(repositoryName=REPO, imageIds=[{'imageTag': 'v1'}])
    t.check(after['imageDetails'][0]['imageDigest'] == pushed, 'v1 still names the first image')
    client.put_image_tag_mutability(repositoryName=REPO, imageTagMutability='MUTABLE')

    # Delete through the JSON API: the manifest is gone for clients.
    http = Http(host, password)
    client.batch_delete_image(repositoryName=REPO, imageIds=[{'imageDigest': pushed}])
    status, _, body = http('GET', f'/v2/{REPO}/manifests/{pushed}', None,
                           {'Accept': manifest['mediaType']})
    t.check(status == 404 and b'MANIFEST_UNKNOWN' in body,
            f'after BatchDeleteImage the manifest is {status}')
    gone = pm.skopeo('inspect', '--tls-verify=false', *creds, f'docker://{host}/{REPO}:v1',
                     check=False)
    t.check(gone.returncode != 0, 'skopeo inspect of the deleted image fails')
    status, _, _ = http('HEAD', f'/v2/{REPO}/blobs/{manifest["layers"][0]["digest"]}')
    t.check(status == 404, f'its layers are collected: HEAD blob {status}')

    # Delete through the registry protocol (skopeo delete): DescribeImages agrees.
    amd = [dg for dg, d in details.items() if dg != index_digest]
    pm.skopeo('delete', '--tls-verify=false', *creds, f'docker://{host}/contract/multi:latest')
    left = {d['imageDigest'] for d in
            client.describe_images(repositoryName='contract/multi')['imageDetails']}
    t.check(index_digest not in left and set(amd) <= left,
            f'skopeo delete removed the index only: {sorted(left)}')

    # A repository that does not exist: ECR does not create it on push.
    pm.podman('tag', f'{host}/{REPO}:v1', f'{host}/contract/none:v1')
    missing = pm.podman('push', '--tls-verify=false', f'{host}/contract/none:v1', check=False)
    t.check(missing.returncode != 0 and 'name unknown' in missing.stderr.lower(),
            f'push to a missing repository: {missing.stderr.strip()[-300:]}')
    return password


def judge(t, tmp, sandbox, password):
    """The same client script against docker-registry and the sandbox."""
    if not registry_judge.registry_available():
        t.count('judge left out: docker-registry is not installed')
        return
    client_host = f'127.0.0.1:{sandbox.port}'
    with registry_judge.DockerRegistry(tmp) as reference:
        ours, our_digest = registry_judge.protocol_script(Http(client_host, password),
                                                          'contract/app', 'judge')
        theirs, their_digest = registry_judge.protocol_script(Http(reference.host),
                                                              'contract/app', 'judge')
        t.check(len(ours) == len(theirs), 'both ran the same steps')
        for (step, o), (_, r) in zip(ours, theirs):
            # content differs by random layer bytes: compare digests' presence, not value
            for k in ('Docker-Content-Digest', 'digest'):
                if k in o and k in r:
                    o[k], r[k] = bool(o[k]), bool(r[k])
            t.check(o == r, f'{step}: sandbox {o} vs docker-registry {r}')

        # podman pushes the same local image to both: the same digests.
        pm = Podman(os.path.join(tmp, 'judge-podman'))
        pm.podman('login', '--tls-verify=false', '-u', 'AWS', '--password-stdin', client_host,
                  input=password + '\n')
        pm.build('localhost/judge:v1', image_files('judge'))
        pm.podman('tag', 'localhost/judge:v1', f'{client_host}/contract/app:judged')
        pm.podman('tag', 'localhost/judge:v1', f'{reference.host}/contract/app:judged')
        d1 = pm.push(f'{client_host}/contract/app:judged')
        d2 = pm.push(f'{reference.host}/contract/app:judged')
        t.check(d1 == d2, f'podman pushed {d1} to the sandbox and {d2} to docker-registry')
        for host in (client_host, reference.host):
            raw = pm.skopeo('inspect', '--tls-verify=false', '--authfile', pm.authfile, '--raw',
                            f'docker://{host}/contract/app:judged').stdout
            t.check(registry_judge.digest(raw.encode()) == d1, f'{host} serves {d1}')


def main():
    for tool in ('podman', 'skopeo'):
        if not shutil.which(tool):
            ecrmodel.skip(f'{tool} is not installed (apt install podman skopeo)')
    if not os.path.exists(AWS):
        ecrmodel.skip(f'{AWS} is missing (apt install awscli)')
    model_dir = ecrmodel.require_testdata()
    t = ecrmodel.Tally('contract-registry')
    with tempfile.TemporaryDirectory(prefix='wharf-registry-') as tmp:
        state = os.path.join(tmp, 'state.json')
        with ecrmodel.Sandbox('--state', state, seed='empty') as sandbox:
            try:
                password = clients_against_sandbox(t, model_dir, tmp, sandbox)
                judge(t, tmp, sandbox, password)
            except AssertionError as e:
                t.check(False, str(e))
        t.check(os.path.isdir(state + '.blobs/sha256'), 'blobs live beside the state file')
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
