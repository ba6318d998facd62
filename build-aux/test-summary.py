#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print one closing line for a meson test log: 'N passed, N failed, N skipped'."""
import json
import sys

counts = {'passed': 0, 'failed': 0, 'skipped': 0}
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding='utf-8').read().splitlines()
    except OSError as e:
        print(f'test-summary: {e}', file=sys.stderr)
        sys.exit(1)
    for line in lines:
        if not line.strip():
            continue
        result = json.loads(line).get('result', '')
        if result in ('OK', 'EXPECTEDFAIL'):
            counts['passed'] += 1
        elif result == 'SKIP':
            counts['skipped'] += 1
        else:
            counts['failed'] += 1
print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
