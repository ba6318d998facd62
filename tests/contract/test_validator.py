# SPDX-License-Identifier: GPL-3.0-or-later
"""The contract tests' own checker, checked: the strict model validator on hand-written
request and response bodies (valid ones pass, each kind of breach is caught), and the
botocore re-signing on requests signed by botocore itself (equal) and tampered with (caught)."""

import copy
import datetime
import json
import os
import sys
import unittest.mock

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402

import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.credentials  # noqa: E402

tally = ecrmodel.Tally('contract-validator')


def expect_valid(what, problems):
    tally.check(not problems, f'{what}: expected valid, got {problems}')


def expect_problem(what, problems, needle):
    tally.check(any(needle in p for p in problems),
                f'{what}: expected a problem mentioning {needle!r}, got {problems}')


def validator_cases(v):
    good_create = {
        'repositoryName': 'team/web-app',
        'imageTagMutability': 'IMMUTABLE_WITH_EXCLUSION',
        'imageTagMutabilityExclusionFilters': [{'filterType': 'WILDCARD', 'filter': 'dev-*'}],
        'imageScanningConfiguration': {'scanOnPush': True},
        'encryptionConfiguration': {'encryptionType': 'KMS', 'kmsKey': 'alias/wharf'},
        'tags': [{'Key': 'team', 'Value': 'web'}],
    }
    expect_valid('CreateRepository with every option', v.validate_input('CreateRepository',
                                                                         good_create))
    expect_valid('DescribeRepositories {}', v.validate_input('DescribeRepositories', {}))

    def broken(change, needle, op='CreateRepository', base=good_create):
        body = copy.deepcopy(base)
        change(body)
        expect_problem(f'{op} {needle}', v.validate_input(op, body), needle)

    broken(lambda b: b.pop('repositoryName'), "required member 'repositoryName'")
    broken(lambda b: b.update(repositoryName='Web'), 'does not match')
    broken(lambda b: b.update(repositoryName='a'), 'below the minimum 2')
    broken(lambda b: b.update(repositoryName='a' * 257), 'above the maximum 256')
    broken(lambda b: b.update(repositoryName='web//app'), 'does not match')
    broken(lambda b: b.update(imageTagMutability='SOMETIMES'), 'is not one of')
    broken(lambda b: b.update(colour='blue'), "unknown member 'colour'")
    broken(lambda b: b['imageScanningConfiguration'].update(scanOnPush='true'),
           'expected true or false')
    broken(lambda b: b.update(tags={'team': 'web'}), 'expected an array')
    broken(lambda b: b['tags'][0].pop('Value'), "required member 'Value'")
    broken(lambda b: b['imageTagMutabilityExclusionFilters'][0].update(filter='a b'),
           'does not match')
    broken(lambda b: b.update(imageTagMutabilityExclusionFilters=[]), 'list length 0')
    broken(lambda b: b['encryptionConfiguration'].update(kmsKey=''), 'below the minimum 1')
    broken(lambda b: b.update(repositoryName=None), 'null')

    list_images = {'repositoryName': 'web', 'maxResults': 1000, 'filter': {'tagStatus': 'ANY'}}
    expect_valid('ListImages', v.validate_input('ListImages', list_images))
    broken(lambda b: b.update(maxResults=1001), 'above the maximum 1000', 'ListImages',
           list_images)
    broken(lambda b: b.update(maxResults=0), 'below the minimum 1', 'ListImages', list_images)
    broken(lambda b: b.update(maxResults=10.0), 'expected an integer', 'ListImages', list_images)
    broken(lambda b: b.update(maxResults=True), 'expected an integer', 'ListImages', list_images)
    broken(lambda b: b.update(registryId='12345'), 'does not match', 'ListImages', list_images)
    expect_problem('unknown operation', v.validate_input('DescribeRepository', {}),
                   'unknown operation')

    repo = {
        'repositoryArn': 'arn:aws:ecr:us-east-1:111122223333:repository/web',
        'registryId': '111122223333', 'repositoryName': 'web',
        'repositoryUri': '111122223333.dkr.ecr.us-east-1.amazonaws.com/web',
        'createdAt': 1764230400.123, 'imageTagMutability': 'MUTABLE',
        'imageScanningConfiguration': {'scanOnPush': False},
        'encryptionConfiguration': {'encryptionType': 'AES256'},
    }
    out = {'repositories': [repo], 'nextToken': 'abc'}
    expect_valid('DescribeRepositoriesResponse', v.validate_output('DescribeRepositories', out))

    def broken_out(change, needle, op='DescribeRepositories', base=out):
        body = copy.deepcopy(base)
        change(body)
        expect_problem(f'{op} output {needle}', v.validate_output(op, body), needle)

    broken_out(lambda b: b['repositories'][0].update(createdAt='2026-11-27T07:00:00Z'),
               'epoch seconds')
    broken_out(lambda b: b['repositories'][0].update(createdAt=1764230400123),
               'milliseconds')
    broken_out(lambda b: b['repositories'][0].update(imageCount=3), "unknown member 'imageCount'")
    broken_out(lambda b: b['repositories'][0]['encryptionConfiguration'].pop('encryptionType'),
               "required member 'encryptionType'")

    findings = {
        'repositoryName': 'web', 'registryId': '111122223333',
        'imageId': {'imageDigest': 'sha256:' + 'a' * 64, 'imageTag': 'v1'},
        'imageScanStatus': {'status': 'COMPLETE', 'description': 'done'},
        'imageScanFindings': {
            'imageScanCompletedAt': 1764230400, 'vulnerabilitySourceUpdatedAt': 1764230000,
            'findingSeverityCounts': {'HIGH': 2, 'LOW': 1},
            'findings': [{'name': 'CVE-2026-0001', 'severity': 'HIGH',
                          'attributes': [{'key': 'package_name', 'value': 'openssl'}]}]},
    }
    expect_valid('DescribeImageScanFindingsResponse',
                 v.validate_output('DescribeImageScanFindings', findings))
    broken_out(lambda b: b['imageScanFindings']['findingSeverityCounts'].update(SEVERE=1),
               'is not one of', 'DescribeImageScanFindings', findings)
    broken_out(lambda b: b['imageScanFindings']['findingSeverityCounts'].update(HIGH='2'),
               'expected an integer', 'DescribeImageScanFindings', findings)
    broken_out(lambda b: b['imageScanStatus'].update(status='DONE'),
               'is not one of', 'DescribeImageScanFindings', findings)
    broken_out(lambda b: b['imageId'].update(imageTag=''),
               'below the minimum 1', 'DescribeImageScanFindings', findings)

    ids = {'imageIds': [{'imageDigest': 'sha256:%064x' % i} for i in range(1000)]}
    expect_valid('ListImagesResponse with a page of 1000 (ImageIdentifierList is max 100 for '
                 'requests only)', v.validate_output('ListImages', ids))
    expect_valid('ListImagesResponse, empty', v.validate_output('ListImages', {'imageIds': []}))
    expect_problem('BatchGetImage request with 101 ids',
                   v.validate_input('BatchGetImage', {'repositoryName': 'web',
                                                      'imageIds': ids['imageIds'][:101]}),
                   'above the maximum 100')
    expect_valid('a page within maxResults',
                 v.page_problems('ListImages', {'maxResults': 1000}, ids))
    expect_problem('a page beyond maxResults', v.page_problems(
        'ListImages', {'maxResults': 100}, ids), '1000 results in one page')
    expect_problem('a page beyond 1000 without maxResults', v.page_problems(
        'DescribeRepositories', {}, {'repositories': [{}] * 1001}), '1001 results')
    expect_problem('findings beyond maxResults', v.page_problems(
        'DescribeImageScanFindings', {'maxResults': 5},
        {'imageScanFindings': {'findings': [{}] * 6}}), 'imageScanFindings.findings')
    broken_out(lambda b: b['repositories'][0].update(imageTagMutabilityExclusionFilters=[
        {'filterType': 'WILDCARD', 'filter': f'f{i}'} for i in range(6)]),
        'list length 6 is above the maximum 5')

    token = {'authorizationData': [{'authorizationToken': 'QVdTOnNlY3JldA==',
                                    'expiresAt': 1764273600,
                                    'proxyEndpoint': 'https://111122223333.dkr.ecr.us-east-1.'
                                                     'amazonaws.com'}]}
    expect_valid('GetAuthorizationTokenResponse', v.validate_output('GetAuthorizationToken',
                                                                    token))
    broken_out(lambda b: b['authorizationData'][0].update(authorizationToken='QVdT OnM='),
               'does not match', 'GetAuthorizationToken', token)


def response_cases(v):
    def record(op, status, body, headers=None, **extra):
        text = body if isinstance(body, str) else json.dumps(body)
        r = {'_where': 'hand-written', 'operation': op,
             'request': {'method': 'POST', 'path': '/', 'query': '', 'headers': [],
                         'body': '{}'},
             'response': {'status': status, 'body': text,
                          'headers': headers if headers is not None else [
                              ['Content-Type', 'application/x-amz-json-1.1'],
                              ['x-amzn-RequestId', 'a1b2c3d4-0000-4000-8000-000000000000']]}}
        r.update(extra)
        return r

    def run(r, expect_fail, needle=''):
        inner = ecrmodel.Tally('inner', show=0)
        ecrmodel.check_response(r, r['operation'], v, inner)
        if expect_fail:
            tally.check(inner.failed and any(needle in f for f in inner.failures),
                        f'response {r["response"]["status"]} {r["response"]["body"][:60]}: '
                        f'expected a failure mentioning {needle!r}, got {inner.failures}')
        else:
            tally.check(not inner.failed, f'response {r["response"]["body"][:60]}: expected '
                        f'no failure, got {inner.failures}')

    nf = {'__type': 'RepositoryNotFoundException', 'message': 'The repository does not exist'}
    run(record('DescribeImages', 400, nf), False)
    run(record('DescribeImages', 400, dict(nf, __type='com.amazonaws.ecr#' + nf['__type'])),
        False)
    run(record('CreateRepository', 400, nf), True, 'neither declared')
    run(record('DescribeImages', 400, {'__type': 'ThrottlingException', 'message': 'slow'}),
        False)
    run(record('DescribeImages', 400, {'__type': 'RepositoryNotFoundException'}), True,
        'no "message"')
    run(record('DescribeImages', 400, {'__type': 'RepositoryNotFoundException',
                                       'Message': 'x'}), True, 'no "message"')
    run(record('DescribeImages', 500, {'__type': 'RepositoryNotFoundException',
                                       'message': 'x'}), True, 'client error')
    run(record('DescribeImages', 400, {'message': 'x'}), True, 'no "__type"')
    run(record('DescribeImages', 500, {'__type': 'ServerException', 'message': 'x'}), False)
    run(record('DescribeImages', 400, {'__type': 'ServerException', 'message': 'x'}), True,
        'server-side error')
    run(record('DescribeImages', 503, {'__type': 'ServiceUnavailableException',
                                       'message': 'x'}), False)
    page = record('ListImages', 200, {'imageIds': [{'imageTag': 'a'}, {'imageTag': 'b'}]})
    page['request']['body'] = '{"repositoryName": "web", "maxResults": 1}'
    run(page, True, 'at most 1')
    run(record('DescribeImages', 200, '{"imageDetails": [', fault='truncate'), False)
    run(record('DescribeImages', 200, '{"imageDetails": ['), True, 'not a JSON object')
    run(record('DescribeImages', 502, '<html>Bad gateway</html>',
               headers=[['Content-Type', 'text/html']]), False)
    run(record('DescribeImages', 200, {'imageDetails': []}, headers=[]), True,
        'x-amzn-RequestId')
    run(record('DescribeImages', 200, {'imageDetails': [{'imageSizeInBytes': -1.5}]}), True,
        'expected an integer')


def signing_cases(v):
    """Requests signed by botocore itself at a fixed time, then turned into records."""
    frozen = datetime.datetime(2026, 11, 27, 7, 30, 15)
    body = json.dumps({'repositoryName': 'web', 'maxResults': 10})

    def signed(token=None, extra_headers=()):
        creds = botocore.credentials.Credentials(ecrmodel.PRACTICE_ACCESS_KEY_ID,
                                                 ecrmodel.PRACTICE_SECRET_ACCESS_KEY, token)
        req = botocore.awsrequest.AWSRequest(
            method='POST', url='http://127.0.0.1:4321/', data=body.encode(),
            headers={'Content-Type': 'application/x-amz-json-1.1',
                     'X-Amz-Target': ecrmodel.TARGET_PREFIX + '.DescribeImages',
                     'User-Agent': 'wharf/0.1', 'Host': '127.0.0.1:4321'})
        for name, value in extra_headers:
            req.headers[name] = value
        with unittest.mock.patch.object(botocore.auth.datetime, 'datetime') as dt:
            dt.utcnow.return_value = frozen
            dt.strptime = datetime.datetime.strptime
            botocore.auth.SigV4Auth(creds, 'ecr', 'us-east-1').add_auth(req)
        # libsoup adds transport headers after signing; they are not signed.
        headers = [[k, v] for k, v in req.headers.items()] + [['Accept-Encoding', 'gzip']]
        return {'_where': 'hand-signed', 'operation': 'DescribeImages',
                'request': {'method': 'POST', 'path': '/', 'query': '', 'headers': headers,
                            'body': body},
                'response': {'status': 200, 'headers': [], 'body': '{}'}}

    def outcome(r):
        return ecrmodel.resign(r['request'])[0]

    r = signed()
    tally.check(outcome(r) == 'match', f'botocore-signed request: {ecrmodel.resign(r["request"])}')
    r = signed(token='FwoGZXIvYXdzEXAMPLETOKEN')
    tally.check(outcome(r) == 'match',
                f'botocore-signed request with a token: {ecrmodel.resign(r["request"])}')
    inner = ecrmodel.Tally('inner', show=0)
    ecrmodel.check_request(r, v, inner)
    tally.check(not inner.failed, f'check_request on a botocore-signed request: {inner.failures}')

    tampered = copy.deepcopy(signed())
    tampered['request']['body'] = body.replace('10', '11')
    tally.check(outcome(tampered) == 'mismatch', 'a changed body must break the signature')
    tampered = copy.deepcopy(signed())
    for pair in tampered['request']['headers']:
        if pair[0] == 'X-Amz-Date':
            pair[1] = '20261127T073016Z'
    tally.check(outcome(tampered) == 'mismatch', 'a changed X-Amz-Date must break the signature')
    tampered = copy.deepcopy(signed())
    for pair in tampered['request']['headers']:
        if pair[0] == 'X-Amz-Target':
            pair[1] = ecrmodel.TARGET_PREFIX + '.ListImages'
    tally.check(outcome(tampered) == 'mismatch', 'a changed X-Amz-Target must break the signature')
    other = copy.deepcopy(signed())
    tally.check(ecrmodel.resign(other['request'], {ecrmodel.PRACTICE_ACCESS_KEY_ID: 'wrong'})[0]
                == 'mismatch', 'a different secret must give a different signature')
    tally.check(ecrmodel.resign(other['request'], {})[0] == 'unknown-key',
                'an unknown access key id is reported as such')

    # A signature over too few headers: botocore signs what we name; check_request objects.
    creds = botocore.credentials.Credentials(ecrmodel.PRACTICE_ACCESS_KEY_ID,
                                             ecrmodel.PRACTICE_SECRET_ACCESS_KEY)
    req = botocore.awsrequest.AWSRequest(method='POST', url='http://127.0.0.1:4321/',
                                         data=body.encode(),
                                         headers={'Host': '127.0.0.1:4321'})
    with unittest.mock.patch.object(botocore.auth.datetime, 'datetime') as dt:
        dt.utcnow.return_value = frozen
        botocore.auth.SigV4Auth(creds, 'ecr', 'us-east-1').add_auth(req)
    req.headers['Content-Type'] = 'application/x-amz-json-1.1'
    req.headers['X-Amz-Target'] = ecrmodel.TARGET_PREFIX + '.DescribeImages'
    r = {'_where': 'under-signed', 'operation': 'DescribeImages',
         'request': {'method': 'POST', 'path': '/', 'query': '',
                     'headers': [[k, v] for k, v in req.headers.items()], 'body': body}}
    tally.check(outcome(r) == 'match', 'an under-signed request still re-signs equal')
    inner = ecrmodel.Tally('inner', show=0)
    ecrmodel.check_request(r, v, inner)
    tally.check(any('lacks' in f for f in inner.failures),
                f'check_request must object to SignedHeaders without x-amz-target and '
                f'content-type: {inner.failures}')


def main():
    model_dir = ecrmodel.require_testdata()
    model = ecrmodel.load_service_model(model_dir)
    print(f'model: {model_dir} ({len(model.operation_names)} operations, '
          f'botocore {botocore.__version__})')
    v = ecrmodel.load_validator(model_dir)
    validator_cases(v)
    response_cases(v)
    signing_cases(v)
    return tally.finish()


if __name__ == '__main__':
    sys.exit(main())
