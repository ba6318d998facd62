# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract: the requests Wharf's ECR client sends, as botocore and ECR's model see them.

Runs the ECR client's integration test program (test-ecr-client, client ↔ in-process
sandbox over loopback) with WHARF_RECORD_DIR set, so it records every request and response.
Then, for every recorded request:
  - botocore's SigV4Auth re-signs it (same key, region, service, X-Amz-Date and exactly the
    headers named in SignedHeaders) and must compute the very signature Wharf sent;
  - SignedHeaders covers host, x-amz-date, x-amz-target, content-type (+ the security token);
  - POST /, Content-Type application/x-amz-json-1.1, X-Amz-Target names an ECR operation;
  - the body validates strictly against the operation's input shape in ECR's current model;
and for every recorded response: a 200 validates against the output shape, an error carries
`__type` and `message` with an error the operation declares (or a common AWS error); the
sandbox's injected faults are exempt.

Programs: test-ecr-client by default; more can be given as arguments (paths, or names under
$WHARF_BUILD_ROOT/tests)."""

import glob
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecrmodel  # noqa: E402

PROGRAM_TIMEOUT = ecrmodel.scaled(240)


def program_path(name):
    if os.path.sep in name:
        return name
    return os.path.join(ecrmodel.build_root(), 'tests', name)


def main():
    model_dir = ecrmodel.require_testdata()
    validator = ecrmodel.load_validator(model_dir)
    tally = ecrmodel.Tally('contract-requests')
    programs = [program_path(p) for p in (sys.argv[1:] or ['test-ecr-client'])]
    missing = [p for p in programs if not os.access(p, os.X_OK)]
    if missing:
        ecrmodel.skip(f'not built: {", ".join(missing)} (the ECR client\'s integration test '
                      f'program; it records its traffic when WHARF_RECORD_DIR is set)')

    with tempfile.TemporaryDirectory(prefix='wharf-contract-') as record_dir:
        for program in programs:
            env = ecrmodel.child_env({k: v for k, v in os.environ.items()
                                      if not k.startswith('AWS_')})
            env['WHARF_RECORD_DIR'] = record_dir
            start = time.monotonic()
            try:
                proc = subprocess.run([program], env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, timeout=PROGRAM_TIMEOUT)
            except subprocess.TimeoutExpired as e:
                out = e.stdout.decode(errors='replace') if isinstance(e.stdout, bytes) else (
                    e.stdout or '')
                print(out[-3000:])
                tally.check(False, f'{os.path.basename(program)} did not finish within '
                            f'{PROGRAM_TIMEOUT} s')
                continue
            took = time.monotonic() - start
            print(f'ran {os.path.basename(program)}: exit {proc.returncode} in {took:.1f} s')
            if proc.returncode == ecrmodel.SKIP:
                print(proc.stdout[-2000:])
                ecrmodel.skip(f'{os.path.basename(program)} skipped itself')
            if not tally.check(proc.returncode == 0,
                               f'{os.path.basename(program)} failed (exit {proc.returncode}); '
                               f'its own test shows why, the contract check needs it to pass'):
                print(proc.stdout[-4000:])

        files = sorted(glob.glob(os.path.join(record_dir, '*.jsonl')))
        for program in programs:
            expected = os.path.join(record_dir, os.path.basename(program) + '.jsonl')
            tally.check(expected in files,
                        f'{os.path.basename(program)} wrote no {os.path.basename(expected)} '
                        f'(does it honour WHARF_RECORD_DIR?); found {files}')

        n_records = 0
        operations = set()
        for path in files:
            records = ecrmodel.load_records(path, tally)
            print(f'{os.path.basename(path)}: {len(records)} records')
            for record in records:
                n_records += 1
                operation = ecrmodel.check_request(record, validator, tally)
                if operation is None:
                    continue
                operations.add(operation)
                ecrmodel.check_response(record, operation, validator, tally)

    tally.check(n_records > 0, 'no request was recorded at all')
    tally.check(tally.notes.get('requests re-signed by botocore, signature equal', 0) > 0,
                'not one request could be re-signed by botocore (all signed with unknown keys?)')
    print(f'{n_records} requests recorded over {len(operations)} operations: '
          f'{", ".join(sorted(operations))}')
    return tally.finish()


if __name__ == '__main__':
    sys.exit(main())
