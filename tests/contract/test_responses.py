# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract: the sandbox's responses, as botocore and ECR's current model see them.

Starts `wharf-sandbox --listen 127.0.0.1:0 --seed demo --record FILE`, drives every operation
the sandbox serves through botocore's own ECR client (current model through the loader's
search path, practice key pair, parameter validation on, no retries), asserts the results a
person would notice, then validates every recorded response strictly against the model's
output shapes (and errors against the declared errors) and re-signs every request.

Which operations the sandbox serves is found at run time: each model operation is first
sent once with an empty body; the ones it does not know answer UnknownOperationException.
Every served operation must then have succeeded at least once in the scenario."""

import base64
import hashlib
import json
import os
import sys
import tempfile
import time
import urllib.request

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402

import botocore.exceptions  # noqa: E402

SCAN_DEADLINE = 60  # seconds of real time for a basic scan to complete


class Scenario:
    def __init__(self, client, tally, served, record):
        self.c = client
        self.t = tally
        self.served = served
        self.record = record
        self.succeeded = set()
        self.invalid_on_purpose = set()  # record indices of requests invalid by design

    def call(self, operation, **params):
        """Calls @operation; a failure is a test failure (returns None). An operation the
        sandbox does not serve is not called."""
        if operation not in self.served:
            self.t.count(f'calls left out: {operation} is not served by the sandbox')
            return None
        method = getattr(self.c, botocore.xform_name(operation))
        try:
            result = method(**params)
        except botocore.exceptions.ClientError as e:
            self.t.check(False, f'{operation}({_brief(params)}) failed: '
                         f'{e.response["Error"].get("Code")}: {e.response["Error"].get("Message")}')
            return None
        except Exception as e:  # botocore could not send or read: a failure, not a crash
            self.t.check(False, f'{operation}({_brief(params)}) failed in botocore: '
                         f'{type(e).__name__}: {e}')
            return None
        self.t.check(True, operation)
        self.succeeded.add(operation)
        return result

    def fails(self, operation, code, invalid_input=False, **params):
        """Calls @operation and expects the AWS error @code. With @invalid_input the request
        breaks the model on purpose (botocore does not check patterns) and its body is not
        validated later."""
        method = getattr(self.c, botocore.xform_name(operation))
        if invalid_input:
            self.invalid_on_purpose.add(ecrmodel.count_lines(self.record))
        try:
            method(**params)
        except botocore.exceptions.ClientError as e:
            got = e.response['Error'].get('Code')
            self.t.check(got == code, f'{operation}({_brief(params)}): expected {code}, got {got}: '
                         f'{e.response["Error"].get("Message")}')
            return e.response
        except Exception as e:
            self.t.check(False, f'{operation}({_brief(params)}): expected {code}, botocore '
                         f'failed: {type(e).__name__}: {e}')
            return None
        self.t.check(False, f'{operation}({_brief(params)}): expected {code}, it succeeded')
        return None

    def expect(self, ok, message):
        return self.t.check(ok, message)


def _brief(params):
    text = json.dumps(params, default=str)
    return text if len(text) < 120 else text[:119] + '…'


def probe_operations(client_nv, model, tally):
    """{operation: error code or 'ok'} for an empty request to every model operation."""
    answers = {}
    for operation in sorted(model.operation_names):
        try:
            getattr(client_nv, botocore.xform_name(operation))()
            answers[operation] = 'ok'
        except botocore.exceptions.ClientError as e:
            answers[operation] = e.response['Error'].get('Code') or '?'
        except Exception as e:  # botocore could not read the answer at all
            answers[operation] = f'unreadable: {type(e).__name__}'
            tally.check(False, f'{operation} with an empty body: botocore cannot read the '
                        f'sandbox\'s answer: {type(e).__name__}: {e}')
    return answers


def push(s, repo, seed, tags=(), layers=2):
    text, digest, _, _ = ecrmodel.image_manifest(seed, layers)
    ecrmodel.upload_blobs(s.c, repo, ecrmodel.image_blobs(seed, layers))
    first = None
    for tag in tags or [None]:
        params = dict(repositoryName=repo, imageManifest=text,
                      imageManifestMediaType='application/vnd.docker.distribution.manifest.v2+json')
        if tag:
            params['imageTag'] = tag
        result = s.call('PutImage', **params)
        if result is not None:
            first = first or result
            s.expect(result['image']['imageId']['imageDigest'] == digest,
                     f'PutImage digest {result["image"]["imageId"].get("imageDigest")} '
                     f'!= sha256 of the manifest {digest}')
    return digest


def scenario(s, region):
    account = ecrmodel.PRACTICE_ACCOUNT_ID
    # Registry-level.
    token = s.call('GetAuthorizationToken')
    if token:
        data = token['authorizationData'][0]
        user, _, password = base64.b64decode(data['authorizationToken']).decode().partition(':')
        s.expect(user == 'AWS' and password, f'authorization token decodes to {user!r}:…')
        s.expect(data['proxyEndpoint'] == s.c.meta.endpoint_url,
                 f'proxyEndpoint {data["proxyEndpoint"]}')
    s.call('DescribeRegistry')
    s.call('GetRegistryScanningConfiguration')
    s.call('PutRegistryScanningConfiguration', scanType='BASIC',
           rules=[{'scanFrequency': 'SCAN_ON_PUSH',
                   'repositoryFilters': [{'filter': 'contract-*', 'filterType': 'WILDCARD'}]}])

    # Repositories.
    seeded = s.call('DescribeRepositories')
    s.expect(seeded and len(seeded['repositories']) > 0, 'the demo seed shows repositories')
    full = s.call('CreateRepository', repositoryName='contract/full',
                  imageTagMutability='IMMUTABLE_WITH_EXCLUSION',
                  imageTagMutabilityExclusionFilters=[{'filterType': 'WILDCARD',
                                                       'filter': 'latest'}],
                  imageScanningConfiguration={'scanOnPush': True},
                  encryptionConfiguration={'encryptionType': 'KMS',
                                           'kmsKey': f'arn:aws:kms:{region}:{account}:key/'
                                                     '1234abcd-12ab-34cd-56ef-1234567890ab'},
                  tags=[{'Key': 'team', 'Value': 'contract'}])
    if full:
        repo = full['repository']
        s.expect(repo['repositoryUri'] ==
                 s.c.meta.endpoint_url.split('//', 1)[1] + '/contract/full',
                 f'repositoryUri {repo["repositoryUri"]}')
        s.expect(repo['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION'
                 and repo.get('imageTagMutabilityExclusionFilters') ==
                 [{'filterType': 'WILDCARD', 'filter': 'latest'}],
                 f'mutability kept: {repo["imageTagMutability"]} '
                 f'{repo.get("imageTagMutabilityExclusionFilters")}')
        s.expect(repo['encryptionConfiguration']['encryptionType'] == 'KMS',
                 f'encryption kept: {repo["encryptionConfiguration"]}')
    s.call('CreateRepository', repositoryName='contract/plain')
    s.fails('CreateRepository', 'RepositoryAlreadyExistsException', repositoryName='contract/plain')
    s.fails('CreateRepository', 'InvalidParameterException', invalid_input=True,
            repositoryName='contract/-bad')
    one = s.call('DescribeRepositories', repositoryNames=['contract/plain'])
    s.expect(one and [r['repositoryName'] for r in one['repositories']] == ['contract/plain'],
             'DescribeRepositories by name returns that repository')
    s.fails('DescribeRepositories', 'RepositoryNotFoundException',
            repositoryNames=['contract/absent'])
    names = []
    for page in s.c.get_paginator('describe_repositories').paginate(
            PaginationConfig={'PageSize': 2}):
        names += [r['repositoryName'] for r in page['repositories']]
    s.succeeded.add('DescribeRepositories')
    s.expect(len(names) == len(set(names)) and {'contract/full', 'contract/plain'} <= set(names),
             f'DescribeRepositories pages of 2 list each repository once: {names}')

    arn = full['repository']['repositoryArn'] if full else \
        f'arn:aws:ecr:{region}:{account}:repository/contract/full'
    s.call('TagResource', resourceArn=arn, tags=[{'Key': 'stage', 'Value': 'test'}])
    tags = s.call('ListTagsForResource', resourceArn=arn)
    s.expect(tags and sorted(t['Key'] for t in tags['tags']) == ['stage', 'team'],
             f'tags after TagResource: {tags and tags["tags"]}')
    s.call('UntagResource', resourceArn=arn, tagKeys=['stage'])
    s.call('PutImageTagMutability', repositoryName='contract/plain',
           imageTagMutability='MUTABLE_WITH_EXCLUSION',
           imageTagMutabilityExclusionFilters=[{'filterType': 'WILDCARD', 'filter': 'release-*'}])
    s.call('PutImageTagMutability', repositoryName='contract/plain', imageTagMutability='MUTABLE')
    s.call('PutImageScanningConfiguration', repositoryName='contract/plain',
           imageScanningConfiguration={'scanOnPush': False})
    s.call('BatchGetRepositoryScanningConfiguration',
           repositoryNames=['contract/plain', 'contract/full'])

    # Images.
    d1 = push(s, 'contract/plain', 'one', tags=['v1', 'latest'])
    d2 = push(s, 'contract/plain', 'two', tags=['v2'])
    d3 = push(s, 'contract/plain', 'three', tags=[])
    for i in range(7):
        push(s, 'contract/plain', f'bulk-{i}', tags=[f'bulk-{i}'])
    s.fails('PutImage', 'ImageAlreadyExistsException', repositoryName='contract/plain',
            imageManifest=ecrmodel.image_manifest('one')[0], imageTag='v1')
    full_digest = push(s, 'contract/full', 'full', tags=['1.0'])
    ecrmodel.upload_blobs(s.c, 'contract/full', ecrmodel.image_blobs('other'))
    s.fails('PutImage', 'ImageTagAlreadyExistsException', repositoryName='contract/full',
            imageManifest=ecrmodel.image_manifest('other')[0], imageTag='1.0')

    _, _, config, layers = ecrmodel.image_manifest('one')
    s.call('BatchCheckLayerAvailability', repositoryName='contract/plain',
           layerDigests=layers + [config])
    got = s.call('BatchGetImage', repositoryName='contract/plain',
                 imageIds=[{'imageTag': 'v1'}, {'imageTag': 'nope'}])
    if got:
        s.expect(len(got['images']) == 1 and got['images'][0]['imageId']['imageDigest'] == d1,
                 f'BatchGetImage finds v1: {[i["imageId"] for i in got["images"]]}')
        s.expect([f.get('failureCode') for f in got['failures']] == ['ImageTagDoesNotMatchDigest']
                 or [f.get('failureCode') for f in got['failures']] == ['ImageNotFound'],
                 f'BatchGetImage reports the missing tag: {got["failures"]}')
    details = []
    for page in s.c.get_paginator('describe_images').paginate(
            repositoryName='contract/plain', PaginationConfig={'PageSize': 3}):
        details += page['imageDetails']
    s.succeeded.add('DescribeImages')
    s.expect(len(details) == 10 and len({d['imageDigest'] for d in details}) == 10,
             f'DescribeImages pages of 3 list 10 images once each, got {len(details)}')
    s.call('DescribeImages', repositoryName='contract/plain', imageIds=[{'imageDigest': d2}])
    s.fails('DescribeImages', 'ImageNotFoundException', repositoryName='contract/plain',
            imageIds=[{'imageTag': 'missing'}])
    untagged = s.call('ListImages', repositoryName='contract/plain',
                      filter={'tagStatus': 'UNTAGGED'})
    s.expect(untagged and [i['imageDigest'] for i in untagged['imageIds']] == [d3],
             f'ListImages UNTAGGED is the untagged image: {untagged and untagged["imageIds"]}')
    s.call('ListImages', repositoryName='contract/plain', maxResults=4)
    s.fails('ListImages', 'RepositoryNotFoundException', repositoryName='contract/absent')

    # Scanning.
    s.call('StartImageScan', repositoryName='contract/plain', imageId={'imageTag': 'v1'})
    deadline = time.monotonic() + SCAN_DEADLINE
    status = None
    while time.monotonic() < deadline:
        try:
            found = s.c.describe_image_scan_findings(repositoryName='contract/plain',
                                                     imageId={'imageTag': 'v1'})
        except botocore.exceptions.ClientError as e:
            s.expect(False, f'DescribeImageScanFindings while scanning: {e}')
            break
        status = found['imageScanStatus']['status']
        if status != 'IN_PROGRESS':
            break
        time.sleep(0.5)  # polling a server-side clock; not synchronisation between threads
    s.expect(status == 'COMPLETE', f'scan status after polling: {status}')
    if status == 'COMPLETE':
        s.succeeded.add('DescribeImageScanFindings')
        findings = s.call('DescribeImageScanFindings', repositoryName='contract/plain',
                          imageId={'imageTag': 'v1'}, maxResults=5)
        if findings:
            counts = findings['imageScanFindings'].get('findingSeverityCounts', {})
            s.expect(len(findings['imageScanFindings'].get('findings', [])) <= 5,
                     'DescribeImageScanFindings honours maxResults 5')
            print(f'  scan findings by severity: {counts}')
    s.fails('DescribeImageScanFindings', 'ScanNotFoundException', repositoryName='contract/plain',
            imageId={'imageTag': 'v2'})

    # Lifecycle policy.
    policy = json.dumps({'rules': [{
        'rulePriority': 1, 'description': 'expire untagged',
        'selection': {'tagStatus': 'untagged', 'countType': 'imageCountMoreThan',
                      'countNumber': 1},
        'action': {'type': 'expire'}}]})
    s.fails('GetLifecyclePolicy', 'LifecyclePolicyNotFoundException',
            repositoryName='contract/plain')
    s.call('PutLifecyclePolicy', repositoryName='contract/plain', lifecyclePolicyText=policy)
    got = s.call('GetLifecyclePolicy', repositoryName='contract/plain')
    s.expect(got and json.loads(got['lifecyclePolicyText']) == json.loads(policy),
             'GetLifecyclePolicy returns the policy as put')
    s.call('StartLifecyclePolicyPreview', repositoryName='contract/plain')
    preview = None
    deadline = time.monotonic() + SCAN_DEADLINE
    while time.monotonic() < deadline:
        preview = s.call('GetLifecyclePolicyPreview', repositoryName='contract/plain')
        if not preview or preview['status'] != 'IN_PROGRESS':
            break
        time.sleep(0.5)
    s.expect(preview and preview['status'] == 'COMPLETE',
             f'lifecycle preview status {preview and preview["status"]}')
    s.call('DeleteLifecyclePolicy', repositoryName='contract/plain')

    # Repository policy.
    repo_policy = json.dumps({'Version': '2012-10-17', 'Statement': [{
        'Sid': 'pull', 'Effect': 'Allow',
        'Principal': {'AWS': f'arn:aws:iam::{account}:root'},
        'Action': ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']}]})
    s.fails('GetRepositoryPolicy', 'RepositoryPolicyNotFoundException',
            repositoryName='contract/plain')
    s.call('SetRepositoryPolicy', repositoryName='contract/plain', policyText=repo_policy)
    got = s.call('GetRepositoryPolicy', repositoryName='contract/plain')
    s.expect(got and json.loads(got['policyText']) == json.loads(repo_policy),
             'GetRepositoryPolicy returns the policy as set')
    s.call('DeleteRepositoryPolicy', repositoryName='contract/plain')

    # Layers: ECR's layer operations on the registry's blob store.
    layer = os.urandom(4096)
    layer_digest = 'sha256:' + hashlib.sha256(layer).hexdigest()
    upload = s.call('InitiateLayerUpload', repositoryName='contract/plain')
    if upload:
        s.call('UploadLayerPart', repositoryName='contract/plain', uploadId=upload['uploadId'],
               partFirstByte=0, partLastByte=len(layer) - 1, layerPartBlob=layer)
        done = s.call('CompleteLayerUpload', repositoryName='contract/plain',
                      uploadId=upload['uploadId'], layerDigests=[layer_digest])
        s.expect(done and done['layerDigest'] == layer_digest,
                 f'CompleteLayerUpload names the layer {done and done["layerDigest"]}')
    check = s.call('BatchCheckLayerAvailability', repositoryName='contract/plain',
                   layerDigests=[layer_digest])
    s.expect(check and check['layers'][0]['layerAvailability'] == 'AVAILABLE'
             and check['layers'][0]['layerSize'] == len(layer),
             f'BatchCheckLayerAvailability: {check and check["layers"]}')
    url = s.call('GetDownloadUrlForLayer', repositoryName='contract/plain',
                 layerDigest=layer_digest)
    if url:
        with urllib.request.urlopen(url['downloadUrl']) as response:
            s.expect(response.read() == layer, 'the download URL serves the layer')

    # Deleting.
    deleted = s.call('BatchDeleteImage', repositoryName='contract/plain',
                     imageIds=[{'imageTag': 'v2'}, {'imageTag': 'never'}])
    if deleted:
        s.expect([i.get('imageDigest') for i in deleted['imageIds']] == [d2],
                 f'BatchDeleteImage deleted v2: {deleted["imageIds"]}')
        s.expect(len(deleted['failures']) == 1, f'one failure for the missing tag: '
                 f'{deleted["failures"]}')
    s.fails('DeleteRepository', 'RepositoryNotEmptyException', repositoryName='contract/plain')
    s.call('DeleteRepository', repositoryName='contract/plain', force=True)
    s.call('DeleteRepository', repositoryName='contract/full', force=True)
    s.fails('DeleteRepository', 'RepositoryNotFoundException', repositoryName='contract/plain')
    del full_digest


def main():
    model_dir = ecrmodel.require_testdata()
    model = ecrmodel.load_service_model(model_dir)
    validator = ecrmodel.load_validator(model_dir)
    tally = ecrmodel.Tally('contract-responses')
    region = ecrmodel.DEFAULT_REGION

    with tempfile.TemporaryDirectory(prefix='wharf-contract-') as tmp:
        record = os.path.join(tmp, 'sandbox.jsonl')
        with ecrmodel.Sandbox(record=record) as sandbox:
            client = ecrmodel.botocore_client(model_dir, sandbox.url, region)
            probe = ecrmodel.botocore_client(model_dir, sandbox.url, region,
                                             parameter_validation=False)
            answers = probe_operations(probe, model, tally)
            n_probe = ecrmodel.count_lines(record)
            unknown = {op for op, code in answers.items() if code == 'UnknownOperationException'}
            served = set(answers) - unknown
            print(f'sandbox serves {len(served)} of {len(answers)} model operations; '
                  f'not served: {", ".join(sorted(unknown))}')

            s = Scenario(client, tally, served, record)
            try:
                scenario(s, region)
            except Exception as e:  # a crash in the scenario is one more failure, loudly
                import traceback
                traceback.print_exc()
                tally.check(False, f'scenario stopped: {type(e).__name__}: {e}')

            for key, secret, want in (
                    (ecrmodel.PRACTICE_ACCESS_KEY_ID, 'wrong-secret', 'InvalidSignatureException'),
                    ('AKIAWHARFUNKNOWN0001', 'x', 'UnrecognizedClientException')):
                bad = ecrmodel.botocore_client(model_dir, sandbox.url, region, key, secret)
                try:
                    bad.describe_repositories()
                    tally.check(False, f'a request signed with {want[:-9]} was accepted')
                except botocore.exceptions.ClientError as e:
                    tally.check(e.response['Error']['Code'] == want,
                                f'bad credentials: expected {want}, got '
                                f'{e.response["Error"]["Code"]}')

            missed = served - s.succeeded
            tally.check(not missed, f'operations the sandbox serves that the scenario did not '
                        f'complete successfully: {", ".join(sorted(missed))}')
            print(f'scenario: {len(s.succeeded)} operations succeeded at least once')
        # The sandbox has stopped: its record is complete.
        records = ecrmodel.load_records(record, tally)
        print(f'{len(records)} records')
        for i, r in enumerate(records):
            # The probe's empty bodies lack required members on purpose.
            operation = ecrmodel.check_request(
                r, validator, tally,
                validate_body=i >= n_probe and i not in s.invalid_on_purpose)
            if operation is not None:
                ecrmodel.check_response(r, operation, validator, tally)
        tally.check(len(records) >= len(answers), f'only {len(records)} requests recorded')

    return tally.finish()


if __name__ == '__main__':
    sys.exit(main())
