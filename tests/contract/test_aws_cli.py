# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract: the AWS CLI (/usr/bin/aws) against a fresh sandbox, as a person would use it.

The CLI runs with the current ECR model (AWS_DATA_PATH), the practice key pair in its
environment, an empty config in a temporary HOME and no pager. Bulk data (hundreds of
repositories, thousands of images) is created in-process with botocore, which is fast; the
CLI runs the steps whose results are asserted. Every request the sandbox recorded (the CLI's
and botocore's) is re-signed and validated against the model at the end."""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402

import botocore.exceptions  # noqa: E402

AWS = '/usr/bin/aws'
CLI_TIMEOUT = ecrmodel.scaled(60)
POLL_DEADLINE = ecrmodel.scaled(60)
N_REPOSITORIES = 250
N_IMAGES = 2500
N_UNTAGGED = 500
MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json'
CLIENT_ERROR_EXIT = 254  # the CLI's exit status for an error the service returned


class Cli:
    def __init__(self, tally, tmp, model_dir, url, record):
        self.t = tally
        self.url = url
        self.record = record
        self.calls = 0
        self.seconds = 0.0
        self.invalid_on_purpose = set()  # record indices of requests invalid by design
        home = os.path.join(tmp, 'home')
        os.makedirs(home, exist_ok=True)
        config = os.path.join(tmp, 'aws-config')
        credentials = os.path.join(tmp, 'aws-credentials')
        for path in (config, credentials):
            open(path, 'w').close()
        self.env = {
            'PATH': '/usr/bin:/bin',
            'HOME': home,
            'LANG': 'C.UTF-8',
            'AWS_ACCESS_KEY_ID': ecrmodel.PRACTICE_ACCESS_KEY_ID,
            'AWS_SECRET_ACCESS_KEY': ecrmodel.PRACTICE_SECRET_ACCESS_KEY,
            'AWS_DATA_PATH': model_dir,
            'AWS_CONFIG_FILE': config,
            'AWS_SHARED_CREDENTIALS_FILE': credentials,
            'AWS_PAGER': '',
            'AWS_EC2_METADATA_DISABLED': 'true',
            'AWS_MAX_ATTEMPTS': '1',
            'NO_PROXY': '127.0.0.1',
        }

    def run(self, *args, secret=None, access_key=None, expect_error=None, invalid_input=False):
        """Runs `aws --endpoint-url URL --region us-east-1 --output json ARGS`.

        Returns (parsed stdout or None, number of requests the sandbox recorded meanwhile).
        With @expect_error, asserts exit 254 and the error name in stderr. With @invalid_input
        the request breaks the model on purpose and its body is not validated later."""
        env = dict(self.env)
        if secret is not None:
            env['AWS_SECRET_ACCESS_KEY'] = secret
        if access_key is not None:
            env['AWS_ACCESS_KEY_ID'] = access_key
        argv = [AWS, '--endpoint-url', self.url, '--region', ecrmodel.DEFAULT_REGION,
                '--output', 'json', *args]
        shown = ' '.join(a if len(a) < 60 else a[:57] + '…' for a in args)
        before = ecrmodel.count_lines(self.record)
        if invalid_input:
            self.invalid_on_purpose.add(before)
        start = time.monotonic()
        try:
            proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, timeout=CLI_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.t.check(False, f'aws {shown}: no answer within {CLI_TIMEOUT} s')
            return None, 0
        finally:
            self.calls += 1
            self.seconds += time.monotonic() - start
        requests = ecrmodel.count_lines(self.record) - before
        if expect_error:
            self.t.check(proc.returncode == CLIENT_ERROR_EXIT and expect_error in proc.stderr,
                         f'aws {shown}: expected exit {CLIENT_ERROR_EXIT} and {expect_error}, '
                         f'got exit {proc.returncode}: {proc.stderr.strip()[:300]}')
            print(f'  aws {shown} → {expect_error} (exit {proc.returncode})')
            return None, requests
        if not self.t.check(proc.returncode == 0, f'aws {shown}: exit {proc.returncode}: '
                            f'{proc.stderr.strip()[:500]}'):
            return None, requests
        print(f'  aws {shown} → ok ({requests} request{"s" if requests != 1 else ""})')
        if not proc.stdout.strip():
            return {}, requests
        try:
            return json.loads(proc.stdout), requests
        except ValueError:
            return proc.stdout, requests


def put_manifest(client, repo, seed, tag=None, layer_seed=None):
    text, digest, _, _ = ecrmodel.image_manifest(seed, layer_seed=layer_seed)
    ecrmodel.upload_blobs(client, repo, ecrmodel.image_blobs(seed, layer_seed=layer_seed))
    params = dict(repositoryName=repo, imageManifest=text, imageManifestMediaType=MANIFEST_TYPE)
    if tag:
        params['imageTag'] = tag
    client.put_image(**params)
    return digest


def poll(what, fn, done):
    """Calls @fn until done(result) or the deadline; returns the last result."""
    deadline = time.monotonic() + POLL_DEADLINE
    result = fn()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(0.25)  # waiting on the sandbox's clock, not on another thread of ours
        result = fn()
    if not done(result):
        print(f'  {what}: still {result!r} after {POLL_DEADLINE} s')
    return result


def steps(cli, client, t, tmp):
    region = ecrmodel.DEFAULT_REGION
    account = ecrmodel.PRACTICE_ACCOUNT_ID
    kms_key = f'arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab'

    # create-repository with every option.
    out, _ = cli.run('ecr', 'create-repository', '--repository-name', 'cli/full',
                     '--image-tag-mutability', 'IMMUTABLE_WITH_EXCLUSION',
                     '--image-tag-mutability-exclusion-filters',
                     'filterType=WILDCARD,filter=latest', 'filterType=WILDCARD,filter=dev-*',
                     '--image-scanning-configuration', 'scanOnPush=true',
                     '--encryption-configuration', f'encryptionType=KMS,kmsKey={kms_key}',
                     '--tags', 'Key=team,Value=cli', 'Key=stage,Value=test')
    if out:
        repo = out['repository']
        t.check(repo['repositoryName'] == 'cli/full', f'created {repo["repositoryName"]}')
        t.check(repo['repositoryUri'] == cli.url.split('//', 1)[1] + '/cli/full',
                f'repositoryUri {repo["repositoryUri"]}')
        t.check(repo['repositoryArn'] == f'arn:aws:ecr:{region}:{account}:repository/cli/full',
                f'repositoryArn {repo["repositoryArn"]}')
        t.check(repo['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION',
                f'imageTagMutability {repo["imageTagMutability"]}')
        t.check(repo.get('imageTagMutabilityExclusionFilters') == [
            {'filterType': 'WILDCARD', 'filter': 'latest'},
            {'filterType': 'WILDCARD', 'filter': 'dev-*'}],
            f'exclusion filters {repo.get("imageTagMutabilityExclusionFilters")}')
        t.check(repo['imageScanningConfiguration'] == {'scanOnPush': True},
                f'imageScanningConfiguration {repo["imageScanningConfiguration"]}')
        t.check(repo['encryptionConfiguration'] == {'encryptionType': 'KMS', 'kmsKey': kms_key},
                f'encryptionConfiguration {repo["encryptionConfiguration"]}')
        out, _ = cli.run('ecr', 'list-tags-for-resource', '--resource-arn', repo['repositoryArn'])
        t.check(out and sorted((x['Key'], x['Value']) for x in out['tags']) ==
                [('stage', 'test'), ('team', 'cli')], f'tags {out and out["tags"]}')
    cli.run('ecr', 'create-repository', '--repository-name', 'cli/full',
            expect_error='RepositoryAlreadyExistsException')

    # 250 repositories, listed through the CLI's paging: 3 requests of up to 100.
    start = time.monotonic()
    for i in range(N_REPOSITORIES - 1):
        client.create_repository(repositoryName=f'bulk/repo-{i:03d}')
    print(f'  (botocore created {N_REPOSITORIES - 1} repositories in '
          f'{time.monotonic() - start:.1f} s)')
    out, requests = cli.run('ecr', 'describe-repositories', '--page-size', '100')
    if out:
        names = [r['repositoryName'] for r in out['repositories']]
        want = {'cli/full'} | {f'bulk/repo-{i:03d}' for i in range(N_REPOSITORIES - 1)}
        t.check(len(names) == N_REPOSITORIES and set(names) == want,
                f'describe-repositories --page-size 100 returned {len(names)} repositories '
                f'({len(set(names))} distinct), want the {N_REPOSITORIES}')
        t.check(requests == 3, f'describe-repositories over {N_REPOSITORIES} with --page-size '
                f'100 took {requests} requests, want 3')
    out, requests = cli.run('ecr', 'describe-repositories', '--max-items', '30',
                            '--page-size', '25')
    if out:
        t.check(len(out['repositories']) == 30 and out.get('NextToken'),
                f'--max-items 30 gives 30 repositories and a NextToken: '
                f'{len(out["repositories"])}, {out.get("NextToken")!r}')
        t.check(requests == 2, f'--max-items 30 --page-size 25 took {requests} requests, want 2')
        if out.get('NextToken'):
            more, _ = cli.run('ecr', 'describe-repositories', '--page-size', '100',
                              '--starting-token', out['NextToken'])
            if more:
                seen = {r['repositoryName'] for r in out['repositories']}
                rest = {r['repositoryName'] for r in more['repositories']}
                t.check(len(seen | rest) == N_REPOSITORIES and not seen & rest,
                        f'resuming from NextToken gives the other {N_REPOSITORIES - 30}: '
                        f'{len(rest)}, overlap {len(seen & rest)}')

    # put-image with generated manifests.
    client.create_repository(repositoryName='cli/images')
    manifest_path = os.path.join(tmp, 'manifest.json')
    digests = {}
    for name in ('v1', 'v2'):
        text, digest, _, _ = ecrmodel.image_manifest(f'cli {name}')
        ecrmodel.upload_blobs(client, 'cli/images', ecrmodel.image_blobs(f'cli {name}'))
        with open(manifest_path, 'w') as f:
            f.write(text)
        out, _ = cli.run('ecr', 'put-image', '--repository-name', 'cli/images',
                         '--image-tag', name, '--image-manifest', f'file://{manifest_path}')
        if out:
            t.check(out['image']['imageId'] == {'imageDigest': digest, 'imageTag': name},
                    f'put-image {name}: imageId {out["image"]["imageId"]}, want digest {digest}')
            t.check(out['image']['imageManifest'] == text,
                    'put-image returns the manifest exactly as pushed')
        digests[name] = digest
    cli.run('ecr', 'put-image', '--repository-name', 'cli/images', '--image-tag', 'v2',
            '--image-manifest', f'file://{manifest_path}',
            expect_error='ImageAlreadyExistsException')
    untagged = [put_manifest(client, 'cli/images', f'cli untagged {i}') for i in range(2)]

    # 2,500 images, 500 of them untagged, through describe-images and list-images.
    client.create_repository(repositoryName='cli/many')
    start = time.monotonic()
    many_untagged = set()
    for i in range(N_IMAGES):
        tag = f'build-{i:04d}' if i >= N_UNTAGGED else None
        d = put_manifest(client, 'cli/many', f'many {i}', tag, layer_seed='many')
        if tag is None:
            many_untagged.add(d)
    print(f'  (botocore pushed {N_IMAGES} images in {time.monotonic() - start:.1f} s)')
    out, requests = cli.run('ecr', 'describe-images', '--repository-name', 'cli/many',
                            '--page-size', '1000')
    if out:
        details = out['imageDetails']
        t.check(len(details) == N_IMAGES and len({d['imageDigest'] for d in details}) == N_IMAGES,
                f'describe-images returned {len(details)} images, want {N_IMAGES} distinct')
        t.check(requests == 3, f'describe-images of {N_IMAGES} with --page-size 1000 took '
                f'{requests} requests, want 3')
        t.check(sum(1 for d in details if not d.get('imageTags')) == N_UNTAGGED,
                f'{N_UNTAGGED} of them untagged')
        t.check(all(d['repositoryName'] == 'cli/many' and d['registryId'] == account
                    and d['imageSizeInBytes'] > 0 for d in details),
                'every image detail names its repository, registry and a size')
    out, _ = cli.run('ecr', 'list-images', '--repository-name', 'cli/many',
                     '--filter', 'tagStatus=UNTAGGED')
    if out:
        got = {i['imageDigest'] for i in out['imageIds']}
        t.check(got == many_untagged and all('imageTag' not in i for i in out['imageIds']),
                f'list-images --filter tagStatus=UNTAGGED returned {len(got)} untagged images, '
                f'want the {N_UNTAGGED}')
    out, _ = cli.run('ecr', 'list-images', '--repository-name', 'cli/images',
                     '--filter', 'tagStatus=UNTAGGED')
    if out:
        t.check(sorted(i['imageDigest'] for i in out['imageIds']) == sorted(untagged),
                f'list-images UNTAGGED in cli/images: {out["imageIds"]}')

    # batch-delete-image: one by tag, one by digest, one missing.
    extra = put_manifest(client, 'cli/images', 'cli doomed', 'doomed')
    gone = put_manifest(client, 'cli/images', 'cli gone')
    out, _ = cli.run('ecr', 'batch-delete-image', '--repository-name', 'cli/images',
                     '--image-ids', 'imageTag=doomed', f'imageDigest={gone}', 'imageTag=never')
    if out:
        deleted = sorted(i.get('imageDigest') for i in out['imageIds'])
        t.check(deleted == sorted([extra, gone]), f'batch-delete-image deleted {deleted}')
        t.check(len(out['failures']) == 1 and out['failures'][0]['imageId'] ==
                {'imageTag': 'never'} and out['failures'][0]['failureCode'] == 'ImageNotFound',
                f'batch-delete-image failures {out["failures"]}')
    out, _ = cli.run('ecr', 'list-images', '--repository-name', 'cli/images')
    if out:
        left = {i['imageDigest'] for i in out['imageIds']}
        t.check(left == set(digests.values()) | set(untagged),
                f'after batch-delete-image {len(left)} images are left, want 4')

    # start-image-scan, then describe-image-scan-findings once the scan completed.
    out, _ = cli.run('ecr', 'start-image-scan', '--repository-name', 'cli/images',
                     '--image-id', 'imageTag=v1')
    if out:
        t.check(out['imageId']['imageDigest'] == digests['v1'] and
                out['imageScanStatus']['status'] in ('IN_PROGRESS', 'COMPLETE'),
                f'start-image-scan: {out}')

    def scan_status():
        try:
            return client.describe_image_scan_findings(
                repositoryName='cli/images',
                imageId={'imageTag': 'v1'})['imageScanStatus']['status']
        except botocore.exceptions.ClientError as e:
            return e.response['Error']['Code']

    status = poll('scan', scan_status, lambda s: s not in ('IN_PROGRESS', 'ScanNotFoundException'))
    t.check(status == 'COMPLETE', f'scan status after {POLL_DEADLINE} s: {status}')
    out, _ = cli.run('ecr', 'describe-image-scan-findings', '--repository-name', 'cli/images',
                     '--image-id', 'imageTag=v1')
    if out:
        t.check(out['imageScanStatus']['status'] == 'COMPLETE',
                f'scan status {out["imageScanStatus"]}')
        findings = out['imageScanFindings']
        counts = findings.get('findingSeverityCounts', {})
        t.check(sum(counts.values()) == len(findings.get('findings', [])),
                f'severity counts {counts} add up to the {len(findings.get("findings", []))} '
                f'findings listed')
        t.check(isinstance(findings.get('imageScanCompletedAt'), (int, float)) or
                isinstance(findings.get('imageScanCompletedAt'), str),
                f'imageScanCompletedAt {findings.get("imageScanCompletedAt")!r}')
        print(f'  scan: {len(findings.get("findings", []))} findings {counts}')
    cli.run('ecr', 'describe-image-scan-findings', '--repository-name', 'cli/images',
            '--image-id', 'imageTag=v2', expect_error='ScanNotFoundException')

    # Lifecycle policy and its preview: expire all but the newest untagged image.
    policy = {'rules': [{'rulePriority': 1, 'description': 'keep one untagged',
                         'selection': {'tagStatus': 'untagged', 'countType': 'imageCountMoreThan',
                                       'countNumber': 1},
                         'action': {'type': 'expire'}}]}
    policy_path = os.path.join(tmp, 'lifecycle.json')
    with open(policy_path, 'w') as f:
        json.dump(policy, f)
    out, _ = cli.run('ecr', 'put-lifecycle-policy', '--repository-name', 'cli/images',
                     '--lifecycle-policy-text', f'file://{policy_path}')
    if out:
        t.check(json.loads(out['lifecyclePolicyText']) == policy, 'put-lifecycle-policy echoes it')
    out, _ = cli.run('ecr', 'start-lifecycle-policy-preview', '--repository-name', 'cli/images')
    if out:
        t.check(out['status'] in ('IN_PROGRESS', 'COMPLETE'), f'preview status {out["status"]}')
    poll('preview', lambda: client.get_lifecycle_policy_preview(
        repositoryName='cli/images')['status'], lambda s: s != 'IN_PROGRESS')
    out, _ = cli.run('ecr', 'get-lifecycle-policy-preview', '--repository-name', 'cli/images')
    if out:
        t.check(out['status'] == 'COMPLETE', f'get-lifecycle-policy-preview status {out["status"]}')
        expired = [r['imageDigest'] for r in out.get('previewResults', [])]
        t.check(expired == [untagged[0]],
                f'the preview expires the older untagged image {untagged[0]}, got {expired}')
        t.check(all(r['action'] == {'type': 'EXPIRE'} and r['appliedRulePriority'] == 1
                    for r in out.get('previewResults', [])),
                f'preview results name rule 1 and EXPIRE: {out.get("previewResults")}')
        t.check(out.get('summary', {}).get('expiringImageTotalCount') == 1,
                f'preview summary {out.get("summary")}')

    # Repository policy.
    repo_policy = {'Version': '2012-10-17', 'Statement': [{
        'Sid': 'AllowPull', 'Effect': 'Allow',
        'Principal': {'AWS': f'arn:aws:iam::{account}:root'},
        'Action': ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']}]}
    cli.run('ecr', 'get-repository-policy', '--repository-name', 'cli/images',
            expect_error='RepositoryPolicyNotFoundException')
    out, _ = cli.run('ecr', 'set-repository-policy', '--repository-name', 'cli/images',
                     '--policy-text', json.dumps(repo_policy))
    out, _ = cli.run('ecr', 'get-repository-policy', '--repository-name', 'cli/images')
    if out:
        t.check(json.loads(out['policyText']) == repo_policy and
                out['repositoryName'] == 'cli/images' and out['registryId'] == account,
                f'get-repository-policy returns the policy as set: {out}')

    # get-authorization-token and get-login-password.
    out, _ = cli.run('ecr', 'get-authorization-token')
    if out:
        data = out['authorizationData'][0]
        user, _, password = base64.b64decode(data['authorizationToken']).decode().partition(':')
        t.check(user == 'AWS' and len(password) > 0,
                f'the token decodes to "AWS:<password>", got user {user!r}, '
                f'{len(password)} characters of password')
        t.check(data['proxyEndpoint'] == cli.url,
                f'proxyEndpoint {data["proxyEndpoint"]}')
    out, _ = cli.run('ecr', 'get-login-password')
    t.check(isinstance(out, str) and len(out.strip()) > 0 and ':' not in out,
            'get-login-password prints the password alone')

    # Deleting and the errors a person meets.
    cli.run('ecr', 'delete-repository', '--repository-name', 'cli/images',
            expect_error='RepositoryNotEmptyException')
    out, _ = cli.run('ecr', 'delete-repository', '--repository-name', 'cli/images', '--force')
    if out:
        t.check(out['repository']['repositoryName'] == 'cli/images', f'deleted {out}')
    cli.run('ecr', 'describe-images', '--repository-name', 'cli/images',
            expect_error='RepositoryNotFoundException')
    cli.run('ecr', 'delete-repository', '--repository-name', 'cli/images',
            expect_error='RepositoryNotFoundException')
    cli.run('ecr', 'create-repository', '--repository-name', 'Bad_Name',
            expect_error='InvalidParameterException', invalid_input=True)
    cli.run('ecr', 'describe-repositories', secret='not-the-secret',
            expect_error='InvalidSignatureException')
    cli.run('ecr', 'describe-repositories', access_key='AKIAWHARFNOBODY00001',
            expect_error='UnrecognizedClientException')


def main():
    model_dir = ecrmodel.require_testdata()
    if not os.access(AWS, os.X_OK):
        ecrmodel.skip(f'{AWS} (the AWS CLI v2) is not installed')
    validator = ecrmodel.load_validator(model_dir)
    t = ecrmodel.Tally('contract-aws-cli')
    start = time.monotonic()

    with tempfile.TemporaryDirectory(prefix='wharf-contract-') as tmp:
        record = os.path.join(tmp, 'sandbox.jsonl')
        with ecrmodel.Sandbox(record=record, seed='empty') as sandbox:
            client = ecrmodel.botocore_client(model_dir, sandbox.url)
            cli = Cli(t, tmp, model_dir, sandbox.url, record)
            try:
                steps(cli, client, t, tmp)
            except Exception as e:
                import traceback
                traceback.print_exc()
                t.check(False, f'the CLI session stopped: {type(e).__name__}: {e}')
        print(f'{cli.calls} aws commands in {cli.seconds:.1f} s')
        records = ecrmodel.load_records(record, t)
        for i, r in enumerate(records):
            operation = ecrmodel.check_request(r, validator, t,
                                               validate_body=i not in cli.invalid_on_purpose)
            if operation is not None:
                ecrmodel.check_response(r, operation, validator, t)
        print(f'{len(records)} recorded requests checked against the model')
    print(f'total {time.monotonic() - start:.1f} s')
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
