# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for Wharf's contract tests.

ECR's *current* service model (``$WHARF_SHARED_DIR/testdata/ecr-model``, botocore's data
layout) is loaded through botocore's own Loader with that folder as an extra search path;
Debian's bundled copy of the model is older and is never used for validation.

- ``Validator``: a strict validator for JSON 1.1 bodies against the model's shapes (required
  members, no unknown members, JSON types, enums, string and list lengths, numeric ranges,
  patterns, maps, timestamps as epoch numbers).
- ``resign``: recomputes a recorded request's SigV4 signature with botocore's SigV4Auth over
  exactly the headers the request names in SignedHeaders, at the request's own X-Amz-Date.
- ``check_request`` / ``check_response``: the per-record contract checks.
- ``Sandbox``: runs the ``wharf-sandbox`` command on a free loopback port and always stops it.
- ``Tally``: counts checks, keeps the first failures, prints the closing line.
"""

import base64
import binascii
import hashlib
import http.client
import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import botocore
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import botocore.loaders
import botocore.model

SKIP = 77

SERVICE = 'ecr'
API_VERSION = '2015-09-21'
TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921'
JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'

# The sandbox's documented practice key pair (src/sandbox/wharf-sandbox.h); never valid on AWS.
PRACTICE_ACCESS_KEY_ID = 'AKIAWHARFPRACTICE001'
PRACTICE_SECRET_ACCESS_KEY = 'wharf/practice/secret/key/not+for+aws0000000'
PRACTICE_ACCOUNT_ID = '111122223333'
DEFAULT_REGION = 'us-east-1'

KNOWN_SECRETS = {PRACTICE_ACCESS_KEY_ID: PRACTICE_SECRET_ACCESS_KEY}

# Errors any AWS JSON service may return whatever the operation's declared errors.
COMMON_ERRORS = {
    'AccessDeniedException',
    'ExpiredTokenException',
    'IncompleteSignature',
    'IncompleteSignatureException',
    'InternalFailure',
    'InvalidSignatureException',
    'MissingAuthenticationTokenException',
    'SerializationException',
    'ServerException',
    'ServiceUnavailableException',
    'ThrottlingException',
    'UnknownOperationException',
    'UnrecognizedClientException',
    'ValidationException',
}
SERVER_SIDE_COMMON_ERRORS = {'InternalFailure', 'ServerException', 'ServiceUnavailableException'}

# Statuses of the sandbox's injected faults that may carry a body that is not AWS JSON.
FAULT_STATUSES = {500, 502, 503, 504}

# SigV4 headers botocore never signs.
UNSIGNED_HEADERS = set(botocore.auth.SIGNED_HEADERS_BLACKLIST)

# List shapes written for requests that ECR also uses for results, where their length limits
# do not hold: ListImages returns up to its maxResults (1000) imageIds per page and [] when
# there are none; BatchDeleteImage returns [] when every id failed. Their output length is
# checked against the request's maxResults instead (see check_page_size).
OUTPUT_LIST_LENGTH_EXEMPT = {'ImageIdentifierList'}

# Epoch seconds between 2000 and 2100: a millisecond value would land in the far future.
MIN_EPOCH = 946684800
MAX_EPOCH = 4102444800


# -- Time limits ------------------------------------------------------------------------------

def timeout_multiplier():
    """WHARF_TIMEOUT_MULTIPLIER (default 1): scales every fixed time limit of these tests, as
    ``meson test --timeout-multiplier`` scales meson's (build-aux/ci-hardening.sh sets 3 under
    ASan and 10 under valgrind)."""
    try:
        m = float(os.environ.get('WHARF_TIMEOUT_MULTIPLIER') or 1)
    except ValueError:
        m = 1
    return m if m >= 1 else 1


def scaled(seconds):
    """@seconds times WHARF_TIMEOUT_MULTIPLIER."""
    r = seconds * timeout_multiplier()
    return int(r) if r == int(r) else r


def child_env(base):
    """@base plus what a test program started by a contract test must inherit from meson's
    test environment whatever @base holds: sanitizer and GLib settings (ASan/LSan/UBSan
    options, G_SLICE, G_DEBUG, GIO_USE_PROXY_RESOLVER — the default resolver may load
    libproxy, C++, which ASan cannot intercept — and the time multiplier). GIO's proxy
    resolver is the dummy one in any case: children only talk to 127.0.0.1."""
    env = dict(base)
    for k, v in os.environ.items():
        if k.startswith(('ASAN_', 'LSAN_', 'UBSAN_', 'G_', 'GIO_', 'MALLOC_')) \
                or k == 'WHARF_TIMEOUT_MULTIPLIER':
            env.setdefault(k, v)
    env.setdefault('GIO_USE_PROXY_RESOLVER', 'dummy')
    return env


# -- Test data --------------------------------------------------------------------------------

def skip(message):
    print(f'SKIP: {message}')
    sys.stdout.flush()
    sys.exit(SKIP)


def require_testdata():
    """The folder holding the current ECR model, or exit 77 saying what is missing."""
    shared = os.environ.get('WHARF_SHARED_DIR')
    if not shared:
        skip('WHARF_SHARED_DIR is not set (run through meson test); it should point at '
             '../shared beside the source tree, which holds testdata/ecr-model')
    testdata = os.path.join(shared, 'testdata')
    if not os.path.isdir(testdata):
        skip(f'{testdata} is missing: the contract tests need ECR\'s current service model in '
             f'{testdata}/ecr-model/{SERVICE}/{API_VERSION}/service-2.json')
    model_dir = os.path.join(testdata, 'ecr-model')
    model_file = os.path.join(model_dir, SERVICE, API_VERSION, 'service-2.json')
    if not os.path.isfile(model_file):
        skip(f'{model_file} is missing (ECR\'s current service model, botocore data layout)')
    return model_dir


def load_validator(model_dir):
    """A Validator on the current model, with the paginators botocore finds beside it."""
    loader = botocore.loaders.Loader(extra_search_paths=[model_dir])
    try:
        paginators = loader.load_service_model(SERVICE, 'paginators-1',
                                               API_VERSION)['pagination']
    except botocore.exceptions.DataNotFoundError:
        paginators = {}
    return Validator(load_service_model(model_dir), paginators)


def load_service_model(model_dir):
    """ECR's service model through botocore's Loader with @model_dir as an extra search path.

    Checks that the loader really picked the current model, not Debian's older copy."""
    loader = botocore.loaders.Loader(extra_search_paths=[model_dir])
    data = loader.load_service_model(SERVICE, 'service-2', API_VERSION)
    with open(os.path.join(model_dir, SERVICE, API_VERSION, 'service-2.json'),
              encoding='utf-8') as f:
        on_disk = json.load(f)
    if data != on_disk:
        raise AssertionError(f'botocore\'s Loader did not load the model in {model_dir} '
                             f'(search paths: {loader.search_paths})')
    return botocore.model.ServiceModel(data, service_name=SERVICE)


# -- Shape validation ---------------------------------------------------------------------------

def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value, limit=80):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit - 1] + '…'


class Validator:
    """Validates decoded JSON bodies against ECR's model. Each call returns a list of problems,
    each a string that starts with the JSON path of the offending value."""

    def __init__(self, service_model, paginators=None):
        self.model = service_model
        self.paginators = paginators or {}
        self._patterns = {}

    def operation(self, name):
        try:
            return self.model.operation_model(name)
        except botocore.model.OperationNotFoundError:
            return None

    def validate_input(self, operation, body):
        op = self.operation(operation)
        if op is None:
            return [f'unknown operation {operation!r}']
        if op.input_shape is None:
            return [] if body == {} else [f'$: {operation} takes no input, got {_short(body)}']
        return self.validate(body, op.input_shape, '$')

    def validate_output(self, operation, body):
        op = self.operation(operation)
        if op is None:
            return [f'unknown operation {operation!r}']
        if op.output_shape is None:
            return [] if body == {} else [f'$: {operation} has no output, got {_short(body)}']
        return self.validate(body, op.output_shape, '$', output=True)

    def page_problems(self, operation, request_body, body):
        """A page holds no more results than the request's maxResults (ECR's limit_key), or
        1000 when the request gave none."""
        paging = self.paginators.get(operation)
        if not paging or not isinstance(body, dict):
            return []
        limit = 1000
        if isinstance(request_body, dict) and _is_int(request_body.get(paging['limit_key'])):
            limit = request_body[paging['limit_key']]
        keys = paging['result_key']
        problems = []
        for key in keys if isinstance(keys, list) else [keys]:
            value = body
            for part in key.split('.'):
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, list) and len(value) > limit:
                problems.append(f'$.{key}: {len(value)} results in one page, the request asked '
                                f'for at most {limit}')
        return problems

    def error_shape(self, operation, code):
        """The declared error shape for @code, None when @code is not declared."""
        op = self.operation(operation)
        if op is None:
            return None
        for shape in op.error_shapes:
            if shape.name == code:
                return shape
        return None

    def validate(self, value, shape, path, output=False):
        problems = []
        self._output = output
        self._validate(value, shape, path, problems)
        return problems

    def _pattern(self, shape):
        pattern = shape.metadata.get('pattern')
        if pattern is None:
            return None
        if pattern not in self._patterns:
            # The model's patterns are Java regular expressions matched against the whole
            # value; Java's \w and \d are ASCII-only.
            self._patterns[pattern] = re.compile(pattern, re.ASCII)
        return self._patterns[pattern]

    def _validate(self, value, shape, path, problems):
        kind = shape.type_name
        meta = shape.metadata
        if value is None:
            problems.append(f'{path}: null where {shape.name} ({kind}) is expected '
                            f'(AWS omits a member rather than sending null)')
            return
        if kind == 'structure':
            if not isinstance(value, dict):
                problems.append(f'{path}: expected an object ({shape.name}), got {_short(value)}')
                return
            members = shape.members
            for name in shape.required_members:
                if name not in value:
                    problems.append(f'{path}: required member {name!r} of {shape.name} missing')
            for name, member_value in value.items():
                if name not in members:
                    problems.append(f'{path}: unknown member {name!r} in {shape.name} '
                                    f'(model members: {", ".join(sorted(members))})')
                    continue
                self._validate(member_value, members[name], f'{path}.{name}', problems)
        elif kind == 'list':
            if not isinstance(value, list):
                problems.append(f'{path}: expected an array ({shape.name}), got {_short(value)}')
                return
            if not (self._output and shape.name in OUTPUT_LIST_LENGTH_EXEMPT):
                self._check_range(len(value), meta, path, problems, 'list length')
            for i, item in enumerate(value):
                self._validate(item, shape.member, f'{path}[{i}]', problems)
        elif kind == 'map':
            if not isinstance(value, dict):
                problems.append(f'{path}: expected an object ({shape.name} map), '
                                f'got {_short(value)}')
                return
            self._check_range(len(value), meta, path, problems, 'map size')
            for key, item in value.items():
                self._validate(key, shape.key, f'{path}<key {key!r}>', problems)
                self._validate(item, shape.value, f'{path}[{key!r}]', problems)
        elif kind == 'string':
            if not isinstance(value, str):
                problems.append(f'{path}: expected a string ({shape.name}), got {_short(value)}')
                return
            if shape.enum and value not in shape.enum:
                problems.append(f'{path}: {value!r} is not one of {shape.name}\'s values '
                                f'{shape.enum}')
            self._check_range(len(value), meta, path, problems, 'string length')
            pattern = self._pattern(shape)
            if pattern is not None and not pattern.fullmatch(value):
                problems.append(f'{path}: {_short(value)} does not match {shape.name}\'s '
                                f'pattern {pattern.pattern!r}')
        elif kind in ('integer', 'long'):
            if not _is_int(value):
                problems.append(f'{path}: expected an integer ({shape.name}), got {_short(value)}')
                return
            self._check_range(value, meta, path, problems, 'value')
        elif kind in ('float', 'double'):
            if not _is_number(value) or not math.isfinite(value):
                problems.append(f'{path}: expected a number ({shape.name}), got {_short(value)}')
                return
            self._check_range(value, meta, path, problems, 'value')
        elif kind == 'boolean':
            if not isinstance(value, bool):
                problems.append(f'{path}: expected true or false ({shape.name}), '
                                f'got {_short(value)}')
        elif kind == 'timestamp':
            # JSON 1.1 sends timestamps as epoch seconds (a number, fractions allowed).
            if not _is_number(value):
                problems.append(f'{path}: expected a timestamp as epoch seconds ({shape.name}), '
                                f'got {_short(value)}')
                return
            if not MIN_EPOCH <= value <= MAX_EPOCH:
                problems.append(f'{path}: timestamp {value} is not epoch seconds between 2000 '
                                f'and 2100 (milliseconds?)')
        elif kind == 'blob':
            if not isinstance(value, str):
                problems.append(f'{path}: expected base64 text ({shape.name}), got {_short(value)}')
                return
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                problems.append(f'{path}: {_short(value)} is not valid base64 ({shape.name})')
                return
            self._check_range(len(raw), meta, path, problems, 'blob length')
        else:
            problems.append(f'{path}: shape {shape.name} has type {kind!r}, which this '
                            f'validator does not know')

    @staticmethod
    def _check_range(n, meta, path, problems, what):
        if 'min' in meta and n < meta['min']:
            problems.append(f'{path}: {what} {n} is below the minimum {meta["min"]}')
        if 'max' in meta and n > meta['max']:
            problems.append(f'{path}: {what} {n} is above the maximum {meta["max"]}')


# -- Records ------------------------------------------------------------------------------------

def load_records(path, tally=None):
    """The records of a JSON-lines file written by the sandbox (see the brief's format).

    A line that is not UTF-8 or not JSON is a failure in @tally (raised without one)."""
    records = []
    with open(path, 'rb') as f:
        raw_lines = f.read().split(b'\n')
    for n, raw in enumerate(raw_lines, 1):
        where = f'{os.path.basename(path)}:{n}'
        if not raw.strip():
            continue
        try:
            line = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            message = (f'{where}: the record is not UTF-8 ({e}); the sandbox wrote bytes that '
                       f'are not text: …{raw[max(0, e.start - 80):e.start + 20]!r}…')
            if tally is None:
                raise AssertionError(message) from None
            tally.check(False, message)
            line = raw.decode('utf-8', errors='replace')
        try:
            record = json.loads(line)
        except ValueError as e:
            message = f'{where}: record is not JSON: {e}'
            if tally is None:
                raise AssertionError(message) from None
            tally.check(False, message)
            continue
        if not isinstance(record, dict) or not isinstance(record.get('request'), dict):
            message = f'{where}: record has no "request" object: {_short(record, 200)}'
            if tally is None:
                raise AssertionError(message)
            tally.check(False, message)
            continue
        record['_where'] = where
        records.append(record)
    return records


def count_lines(path):
    """Records written so far to @path (flushed per line by the sandbox)."""
    try:
        with open(path, 'rb') as f:
            return sum(1 for line in f if line.strip())
    except FileNotFoundError:
        return 0


def header(headers, name):
    """The first value of header @name (case-insensitive) in a [[name, value], …] list."""
    lname = name.lower()
    for pair in headers or []:
        if pair[0].lower() == lname:
            return pair[1]
    return None


def header_all(headers, name):
    lname = name.lower()
    return [pair[1] for pair in headers or [] if pair[0].lower() == lname]


_AUTH_RE = re.compile(
    r'AWS4-HMAC-SHA256 Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/'
    r'(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<signed>[^,\s]+),\s*'
    r'Signature=(?P<signature>[0-9a-f]{64})$')


def parse_authorization(value):
    m = _AUTH_RE.match(value or '')
    return m.groupdict() if m else None


class _ExactHeadersSigV4(botocore.auth.SigV4Auth):
    """botocore's SigV4 over exactly the headers named in the request's SignedHeaders."""

    def __init__(self, credentials, service, region, signed):
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request):
        header_map = botocore.awsrequest.HTTPHeaders()
        for name, value in request.headers.items():
            if name.lower() in self._signed:
                header_map[name.lower()] = value
        return header_map


def resign(request, secrets=None):
    """Recomputes a recorded request's signature with botocore.

    Returns (result, detail): result is 'match', 'mismatch', 'unknown-key' or 'malformed';
    detail explains (and holds botocore's canonical request on a mismatch)."""
    secrets = KNOWN_SECRETS if secrets is None else secrets
    headers = request.get('headers') or []
    auth = parse_authorization(header(headers, 'Authorization'))
    if auth is None:
        return 'malformed', ('Authorization header is not SigV4: '
                             f'{header(headers, "Authorization")!r}')
    amz_date = header(headers, 'X-Amz-Date')
    if not amz_date or not re.fullmatch(r'\d{8}T\d{6}Z', amz_date):
        return 'malformed', f'X-Amz-Date missing or malformed: {amz_date!r}'
    if amz_date[:8] != auth['date']:
        return 'malformed', (f'credential scope date {auth["date"]} differs from X-Amz-Date '
                             f'{amz_date}')
    secret = secrets.get(auth['akid'])
    if secret is None:
        return 'unknown-key', f'no secret known for access key id {auth["akid"]}'
    signed = auth['signed'].split(';')
    if signed != sorted(set(signed)) or any(h != h.lower() for h in signed):
        return 'malformed', f'SignedHeaders not sorted, unique and lowercase: {auth["signed"]}'
    present = {pair[0].lower() for pair in headers}
    missing = [h for h in signed if h not in present]
    if missing:
        return 'malformed', f'SignedHeaders names headers the request lacks: {missing}'

    token = header(headers, 'X-Amz-Security-Token')
    credentials = botocore.credentials.Credentials(auth['akid'], secret, token)
    signer = _ExactHeadersSigV4(credentials, auth['service'], auth['region'], set(signed))
    host = header(headers, 'Host') or '127.0.0.1'
    url = f'http://{host}{request.get("path") or "/"}'
    if request.get('query'):
        url += '?' + request['query']
    body = (request.get('body') or '').encode('utf-8')
    aws_request = botocore.awsrequest.AWSRequest(method=request.get('method'), url=url,
                                                 data=body)
    for name, value in headers:
        if name.lower() in signed:
            aws_request.headers[name] = value
    aws_request.context['timestamp'] = amz_date
    # Over plain http botocore always hashes the payload; keep that for any recorded URL.
    aws_request.context['payload_signing_enabled'] = True

    canonical = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical)
    signature = signer.signature(string_to_sign, aws_request)
    if signature != auth['signature']:
        return 'mismatch', (f'ours {auth["signature"]} != botocore {signature}\n'
                            f'botocore canonical request:\n{canonical}')
    expected = (f'AWS4-HMAC-SHA256 Credential={auth["akid"]}/{auth["date"]}/{auth["region"]}/'
                f'{auth["service"]}/aws4_request, SignedHeaders={auth["signed"]}, '
                f'Signature={signature}')
    if header(headers, 'Authorization') != expected:
        return 'mismatch', (f'signature agrees but the Authorization header differs from '
                            f'botocore\'s layout:\n ours     {header(headers, "Authorization")}\n'
                            f' botocore {expected}')
    return 'match', ''


def error_code(body_type):
    """AWS error code from a `__type` or x-amzn-ErrorType value: text after '#', before ':'."""
    code = body_type.rsplit('#', 1)[-1]
    return code.split(':', 1)[0]


def is_fault_record(record):
    """True when the sandbox marked the record as an injected fault (or sent no response)."""
    if record.get('fault'):
        return True
    response = record.get('response')
    if not isinstance(response, dict):
        return True
    if response.get('fault'):
        return True
    return False


class Tally:
    """Counts checks; keeps every failure with context, prints the first ones loudly."""

    def __init__(self, name, show=15):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.show = show
        self.notes = {}

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(message)
            if len(self.failures) <= self.show:
                print(f'FAIL: {message}', flush=True)
        return ok

    def count(self, what, n=1):
        self.notes[what] = self.notes.get(what, 0) + n

    def finish(self):
        for what, n in self.notes.items():
            print(f'  {what}: {n}')
        if self.failed > self.show:
            print(f'… and {self.failed - self.show} more failures')
        if self.failed:
            print(f'FIRST FAILURE: {self.failures[0]}')
        print(f'{self.name}: {self.passed} passed, {self.failed} failed', flush=True)
        return 1 if self.failed else 0


def check_request(record, validator, tally, secrets=None, validate_body=True):
    """The request half of a record: transport, signature, body against the input shape
    (unless @validate_body is False: requests made invalid on purpose)."""
    where = record['_where']
    request = record['request']
    headers = request.get('headers') or []
    target = header(headers, 'X-Amz-Target') or ''
    operation = target[len(TARGET_PREFIX) + 1:] if target.startswith(TARGET_PREFIX + '.') else None
    label = f'{where} {operation or record.get("operation")}'

    tally.check(request.get('method') == 'POST',
                f'{label}: method {request.get("method")!r}, ECR wants POST')
    tally.check(request.get('path') == '/' and not request.get('query'),
                f'{label}: path {request.get("path")!r} query {request.get("query")!r}, '
                f'ECR wants POST / with no query')
    tally.check(header(headers, 'Content-Type') == JSON_CONTENT_TYPE,
                f'{label}: Content-Type {header(headers, "Content-Type")!r}, '
                f'want {JSON_CONTENT_TYPE}')
    if not tally.check(operation is not None and validator.operation(operation) is not None,
                       f'{label}: X-Amz-Target {target!r} is not {TARGET_PREFIX}.<an ECR '
                       f'operation>'):
        return None
    if record.get('operation') is not None:
        tally.check(record['operation'] == operation,
                    f'{label}: record says operation {record["operation"]!r}, '
                    f'X-Amz-Target says {operation!r}')
    tally.check(len(header_all(headers, 'Host')) == 1,
                f'{label}: {len(header_all(headers, "Host"))} Host headers')

    response = record.get('response') if isinstance(record.get('response'), dict) else {}
    rejected_code = None
    if response.get('status', 0) >= 400:
        try:
            rejected_code = error_code(json.loads(response.get('body') or '').get('__type', ''))
        except (ValueError, AttributeError):
            rejected_code = None

    auth = parse_authorization(header(headers, 'Authorization'))
    if auth is not None:
        signed = auth['signed'].split(';')
        want = ['host', 'x-amz-date', 'x-amz-target', 'content-type']
        if header(headers, 'X-Amz-Security-Token') is not None:
            want.append('x-amz-security-token')
        tally.check(all(h in signed for h in want),
                    f'{label}: SignedHeaders {auth["signed"]} lacks '
                    f'{[h for h in want if h not in signed]}')
        tally.check(not any(h in UNSIGNED_HEADERS for h in signed),
                    f'{label}: SignedHeaders {auth["signed"]} signs a header botocore never '
                    f'signs ({sorted(UNSIGNED_HEADERS)})')
        tally.check(auth['service'] == SERVICE,
                    f'{label}: credential scope service {auth["service"]!r}, want {SERVICE!r}')
    result, detail = resign(request, secrets)
    if rejected_code in ('InvalidSignatureException', 'IncompleteSignatureException',
                         'IncompleteSignature', 'MissingAuthenticationTokenException',
                         'UnrecognizedClientException', 'SignatureDoesNotMatch'):
        # The sandbox refused the signature: confirm that botocore does not accept it either.
        tally.count('requests the sandbox rejected as unsigned/unknown/bad signature')
        tally.check(result != 'match',
                    f'{label}: the sandbox answered {rejected_code} but botocore computes '
                    f'the same signature as the request carries')
    elif result == 'unknown-key':
        tally.count('requests signed with a key pair the test does not know (not re-signed)')
    else:
        if tally.check(result == 'match', f'{label}: signature: {detail}'):
            tally.count('requests re-signed by botocore, signature equal')

    if not validate_body:
        tally.count('requests invalid on purpose (body not validated)')
        return operation
    body_text = request.get('body')
    try:
        body = json.loads(body_text) if body_text is not None else None
    except ValueError as e:
        body = e
    if not tally.check(isinstance(body, dict),
                       f'{label}: request body is not a JSON object: {_short(body_text, 200)}'):
        return operation
    problems = validator.validate_input(operation, body)
    if tally.check(not problems,
                   f'{label}: request body breaks {operation}Request: ' + '; '.join(problems[:5])):
        tally.count('request bodies valid against the input shape')
    return operation


def check_response(record, operation, validator, tally):
    """The response half of a record: a 200 against the output shape, an error against the
    operation's declared errors (or AWS's common ones); marked faults are exempt."""
    where = record['_where']
    label = f'{where} {operation}'
    if is_fault_record(record):
        tally.count('responses exempt as injected faults')
        return
    response = record['response']
    status = response.get('status')
    headers = response.get('headers') or []
    text = response.get('body') or ''
    try:
        body = json.loads(text)
    except ValueError:
        body = None

    if status in FAULT_STATUSES and not (isinstance(body, dict) and '__type' in body):
        tally.count('responses exempt as injected faults')
        return

    tally.check(header(headers, 'x-amzn-RequestId') is not None,
                f'{label}: response {status} has no x-amzn-RequestId header')
    ctype = header(headers, 'Content-Type') or ''
    tally.check(ctype.split(';')[0].strip() == JSON_CONTENT_TYPE,
                f'{label}: response Content-Type {ctype!r}, want {JSON_CONTENT_TYPE}')

    if status == 200:
        if not tally.check(isinstance(body, dict),
                           f'{label}: 200 body is not a JSON object: {_short(text, 200)} '
                           f'(an injected fault must be marked in the record: "fault": KIND)'):
            return
        problems = validator.validate_output(operation, body)
        if tally.check(not problems, f'{label}: 200 body breaks {operation}Response: '
                       + '; '.join(problems[:5])):
            tally.count('200 response bodies valid against the output shape')
        try:
            request_body = json.loads(record['request'].get('body') or '{}')
        except ValueError:
            request_body = None
        problems = validator.page_problems(operation, request_body, body)
        tally.check(not problems, f'{label}: ' + '; '.join(problems))
        return

    if not tally.check(isinstance(status, int) and status >= 400,
                       f'{label}: status {status!r} is neither 200 nor an error'):
        return
    if not tally.check(isinstance(body, dict) and isinstance(body.get('__type'), str),
                       f'{label}: error {status} body has no "__type": {_short(text, 200)}'):
        return
    code = error_code(body['__type'])
    tally.check(isinstance(body.get('message'), str) and body['message'] != '',
                f'{label}: error {code} has no "message" (AWS JSON uses lowercase "message")')
    shape = validator.error_shape(operation, code)
    if shape is not None:
        rest = {k: v for k, v in body.items() if k != '__type'}
        problems = validator.validate(rest, shape, '$')
        tally.check(not problems, f'{label}: {code} body breaks its shape: '
                    + '; '.join(problems[:5]))
        fault = bool(shape._shape_model.get('fault', False))
    else:
        tally.check(code in COMMON_ERRORS,
                    f'{label}: error {code!r} is neither declared by {operation} '
                    f'({[s.name for s in validator.operation(operation).error_shapes]}) '
                    f'nor a common AWS error')
        fault = code in SERVER_SIDE_COMMON_ERRORS
    if fault:
        tally.check(500 <= status < 600, f'{label}: server-side error {code} with status {status}')
    else:
        tally.check(400 <= status < 500, f'{label}: client error {code} with status {status}')
    tally.count('error responses with a declared or common error')


# -- The sandbox command ------------------------------------------------------------------------

def build_root():
    root = os.environ.get('WHARF_BUILD_ROOT')
    if not root:
        skip('WHARF_BUILD_ROOT is not set (run through meson test)')
    return root


def sandbox_command():
    path = os.environ.get('WHARF_SANDBOX_BIN') or os.path.join(build_root(), 'src', 'sandbox',
                                                               'wharf-sandbox')
    if not os.access(path, os.X_OK):
        skip(f'{path} is not built (the sandbox command, src/sandbox)')
    return path


class Sandbox:
    """``wharf-sandbox --listen 127.0.0.1:0 …`` as a context manager; always stopped on exit.

    The URL is read from the command's output (the first http://127.0.0.1:PORT it prints)."""

    def __init__(self, *args, record=None, seed='demo', start_timeout=30):
        start_timeout = scaled(start_timeout)
        self.argv = [sandbox_command(), '--listen', '127.0.0.1:0', '--seed', seed]
        if record:
            self.argv += ['--record', record]
        self.argv += list(args)
        self.start_timeout = start_timeout
        self.proc = None
        self.url = None
        self.port = None
        self.output = []
        self._found = threading.Event()

    def _reader(self, stream):
        for line in iter(stream.readline, ''):
            self.output.append(line.rstrip('\n'))
            if self.url is None:
                m = re.search(r'http://127\.0\.0\.1:(\d+)', line)
                if m:
                    self.port = int(m.group(1))
                    self.url = f'http://127.0.0.1:{self.port}'
                    self._found.set()
        stream.close()

    def __enter__(self):
        env = child_env({k: v for k, v in os.environ.items() if not k.startswith('AWS_')})
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env,
                                     start_new_session=True)
        threading.Thread(target=self._reader, args=(self.proc.stdout,), daemon=True).start()
        deadline = time.monotonic() + self.start_timeout
        while not self._found.is_set():
            if self.proc.poll() is not None:
                self.stop()
                raise AssertionError(f'wharf-sandbox exited ({self.proc.returncode}) before '
                                     f'printing its URL: {" | ".join(self.output[-10:])}')
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f'wharf-sandbox printed no http://127.0.0.1:PORT within '
                                     f'{self.start_timeout} s: {" | ".join(self.output[-10:])}')
            self._found.wait(0.1)
        print(f'sandbox: {" ".join(self.argv[1:])} → {self.url}', flush=True)
        return self

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=scaled(10))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=scaled(10))

    def __exit__(self, *exc):
        self.stop()
        return False


def botocore_client(model_dir, url, region=DEFAULT_REGION, access_key=PRACTICE_ACCESS_KEY_ID,
                    secret_key=PRACTICE_SECRET_ACCESS_KEY, **config):
    """botocore's own ECR client on the current model (loader search path), against @url,
    with parameter validation on and no retries (every answer is the sandbox's own)."""
    import botocore.config
    import botocore.session
    for k in list(os.environ):
        if k.startswith('AWS_'):
            del os.environ[k]
    session = botocore.session.get_session()
    loader = session.get_component('data_loader')
    if model_dir not in loader.search_paths:
        loader.search_paths.insert(0, model_dir)
    options = dict(retries={'max_attempts': 1, 'mode': 'standard'}, parameter_validation=True,
                   connect_timeout=scaled(10), read_timeout=scaled(60))
    options.update(config)
    client = session.create_client(SERVICE, region_name=region, endpoint_url=url,
                                   aws_access_key_id=access_key,
                                   aws_secret_access_key=secret_key,
                                   config=botocore.config.Config(**options))
    if 'IMMUTABLE_WITH_EXCLUSION' not in client.meta.service_model.shape_for(
            'ImageTagMutability').enum:
        raise AssertionError('botocore\'s client did not load the current ECR model')
    return client


def sha256_digest(data):
    return 'sha256:' + hashlib.sha256(data).hexdigest()


def image_blobs(seed, layers=2, layer_seed=None):
    """The contents of the blobs image_manifest(@seed, @layers, @layer_seed) names, config
    first: upload them (upload_blobs()) before PutImage, as ECR refuses missing layers."""
    layer_seed = seed if layer_seed is None else layer_seed
    return ([f'config {seed}'.encode()]
            + [f'layer {layer_seed} {i}'.encode() for i in range(layers)])


def image_manifest(seed, layers=2, layer_seed=None):
    """A Docker v2 schema 2 manifest (text, its digest, its config and layer digests), unique
    per @seed; images with the same @layer_seed share their layers."""
    blobs = image_blobs(seed, layers, layer_seed)
    config = sha256_digest(blobs[0])
    layer_digests = [sha256_digest(b) for b in blobs[1:]]
    manifest = {
        'schemaVersion': 2,
        'mediaType': 'application/vnd.docker.distribution.manifest.v2+json',
        'config': {'mediaType': 'application/vnd.docker.container.image.v1+json',
                   'size': 1469, 'digest': config},
        'layers': [{'mediaType': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
                    'size': 1000000 + i * 4321, 'digest': d}
                   for i, d in enumerate(layer_digests)],
    }
    text = json.dumps(manifest, indent=3)
    return text, sha256_digest(text.encode()), config, layer_digests


def upload_blobs(client, repo, blobs):
    """Uploads @blobs (contents) into @repo as docker does before it pushes a manifest: one
    monolithic upload each through the registry protocol of the registry @client (botocore)
    reaches, with the password GetAuthorizationToken issues."""
    data = client.get_authorization_token()['authorizationData'][0]
    endpoint = urllib.parse.urlsplit(data['proxyEndpoint'])
    headers = {'Authorization': 'Basic ' + data['authorizationToken'],
               'Content-Type': 'application/octet-stream'}
    conn = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=60)
    try:
        for content in blobs:
            digest = sha256_digest(content)
            conn.request('POST', f'/v2/{repo}/blobs/uploads/?digest={digest}', body=content,
                         headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 201:
                raise AssertionError(f'uploading {digest} into {repo}: {response.status} '
                                     f'{body[:300]!r}')
    finally:
        conn.close()


def url_port(url):
    return urllib.parse.urlsplit(url).port
