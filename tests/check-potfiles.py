#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from po/POTFILES.in,
when POTFILES.in names a file that does not exist, or when it is not sorted."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
potfiles = root / 'po' / 'POTFILES.in'
listed = [l.strip() for l in potfiles.read_text().splitlines()
          if l.strip() and not l.startswith('#')]

c_marks = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(')
ui_marks = re.compile(r'translatable="yes"')

wanted = set()
for path in sorted((root / 'src').rglob('*')):
    if path.suffix in ('.c', '.h'):
        if c_marks.search(path.read_text(encoding='utf-8')):
            wanted.add(str(path.relative_to(root)))
    elif path.suffix == '.ui':
        if ui_marks.search(path.read_text(encoding='utf-8')):
            wanted.add(str(path.relative_to(root)))
for path in sorted((root / 'data').glob('*.in')):
    if path.name.endswith(('.desktop.in.in', '.metainfo.xml.in.in', '.gschema.xml.in')):
        wanted.add(str(path.relative_to(root)))

problems = []
for name in sorted(wanted - set(listed)):
    problems.append(f'missing from po/POTFILES.in: {name}')
for name in listed:
    if not (root / name).exists():
        problems.append(f'po/POTFILES.in names a file that does not exist: {name}')
if listed != sorted(listed):
    problems.append('po/POTFILES.in is not sorted')

for p in problems:
    print(p)
print(f'{len(wanted)} files with translatable strings, {len(listed)} listed')
sys.exit(1 if problems else 0)
