#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints $WHARF_BUILD_ROOT/bench-results.json as a table (runs after the other benchmarks)
and keeps a copy as bench-results.txt beside it."""

import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

buf = io.StringIO()
benchlib.print_table(buf)
sys.stdout.write(buf.getvalue())
with open(os.path.splitext(benchlib.results_path())[0] + '.txt', 'w') as f:
    f.write(buf.getvalue())
