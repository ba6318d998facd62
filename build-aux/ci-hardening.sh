#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Hardening checks for CI (about 20 minutes on 2 cores):
#   asan      clang build with AddressSanitizer + UndefinedBehaviorSanitizer (leaks on);
#             the unit, integration and contract suites in build-aux/wharf-test-session
#   fuzz      each libFuzzer target (-Dfuzzing=true) for WHARF_FUZZ_SECONDS (25) seconds,
#             starting from its seed corpus in tests/fuzz/corpus/<target>/
#   valgrind  memcheck over the client, engine and sandbox tests and the fuzz corpus
#             replays (normal gcc build), definite leaks are errors
#
#   build-aux/ci-hardening.sh [asan] [fuzz] [valgrind]     (default: all three)
#
# Environment: WHARF_ASAN_BUILDDIR (build-asan), WHARF_FUZZ_BUILDDIR (build-fuzz),
# WHARF_VALGRIND_BUILDDIR (build-valgrind), WHARF_FUZZ_SECONDS (25).
# Exits non-zero when any step fails; prints one summary line per step at the end.
set -uo pipefail

cd "$(dirname "$0")/.."
srcdir=$PWD
asan_dir=${WHARF_ASAN_BUILDDIR:-build-asan}
fuzz_dir=${WHARF_FUZZ_BUILDDIR:-build-fuzz}
vg_dir=${WHARF_VALGRIND_BUILDDIR:-build-valgrind}
fuzz_seconds=${WHARF_FUZZ_SECONDS:-25}
# A fixed seed makes a CI run repeat the same exploration, so that a red run can be
# reproduced and a landing is not failed by chance; WHARF_FUZZ_SEED=0 picks a random one.
fuzz_seed=${WHARF_FUZZ_SEED:-1}

steps=("$@")
if [ "${#steps[@]}" -eq 0 ]; then
  steps=(asan fuzz valgrind)
fi

summary=()
failed=0

run() {
  echo "+ $*"
  "$@"
}

# Configures a build dir once (CC and options only apply to a new one).
setup() {
  local dir=$1 cc=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    run env CC="$cc" meson setup "$dir" -Ddevelopment=true "$@" || return 1
  fi
}

step_asan() {
  setup "$asan_dir" clang -Db_sanitize=address,undefined -Db_lundef=false || return 1
  run meson compile -C "$asan_dir" || return 1
  # detect_leaks: LeakSanitizer at exit; the suppressions name each loss inside a library
  # we do not own (see the file). fast_unwind_on_malloc=0: the system libraries have no
  # frame pointers, so only the slow unwinder gives a leak's whole stack.
  # halt_on_error/abort_on_error: any report fails the test; UBSan stops at the first.
  # WHARF_TIMEOUT_MULTIPLIER: for tests that run programs with their own time limits (the
  # contract tests), as --timeout-multiplier is for meson's.
  run env \
    GIO_USE_PROXY_RESOLVER=dummy \
    G_SLICE=always-malloc \
    WHARF_TIMEOUT_MULTIPLIER=3 \
    ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:halt_on_error=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
    LSAN_OPTIONS="suppressions=$srcdir/tests/valgrind/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    build-aux/wharf-test-session meson test -C "$asan_dir" --print-errorlogs \
      --timeout-multiplier 3 --suite unit --suite integration --suite contract
}

fuzz_targets=(aws-config aws-error credentials aws-responses sigv4 ecr-models json-reader sandbox-ops)
# Targets that hand untrusted text to json-glib's parser: see tests/fuzz/lsan-fuzz.supp.
json_targets=" aws-error credentials aws-responses ecr-models sandbox-ops "

step_fuzz() {
  local work status=0 t log runs secs execs corp fast
  setup "$fuzz_dir" clang -Dfuzzing=true || return 1
  run meson compile -C "$fuzz_dir" "${fuzz_targets[@]/#/fuzz-}" || return 1
  work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-fuzz.XXXXXX")
  for t in "${fuzz_targets[@]}"; do
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    log="$work/$t/log"
    # New inputs go to the scratch corpus; the seeds in the tree are only read.
    echo "+ $fuzz_dir/tests/fuzz/fuzz-$t -max_total_time=$fuzz_seconds … tests/fuzz/corpus/$t"
    # For the targets that parse JSON: fast_unwind_on_malloc=0, whole stacks, so that the
    # suppression of a json-glib loss (see the file) can match; it costs 5–20× in executions
    # per second, so the others keep the fast unwinder.
    fast=1
    case "$json_targets" in *" $t "*) fast=0 ;; esac
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=$fast \
       UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
       LSAN_OPTIONS="suppressions=$srcdir/tests/fuzz/lsan-fuzz.supp:print_suppressions=0" \
       G_SLICE=always-malloc \
       "$fuzz_dir/tests/fuzz/fuzz-$t" -seed="$fuzz_seed" -max_total_time="$fuzz_seconds" -timeout=10 \
         -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
         "$work/$t/corpus" "tests/fuzz/corpus/$t" > "$log" 2>&1; then
      runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
      secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
      corp=$(grep -o 'corp: [0-9]*/[0-9]*[bKM]*b\?' "$log" | tail -1)
      execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
      echo "  fuzz-$t: ${runs:-?} runs in ${secs:-?} s (${execs:-?} exec/s), ${corp:-corpus ?}"
    else
      status=1
      echo "  fuzz-$t: FAILED — input and report:"
      ls -l "$work/$t/artifacts/"
      grep -E -m 20 'ERROR|runtime error|assertion|failed verification|SUMMARY|Test unit written|Base64' "$log"
      mkdir -p "$fuzz_dir/fuzz-findings/$t"
      cp "$work/$t/artifacts/"* "$log" "$fuzz_dir/fuzz-findings/$t/" 2>/dev/null
      echo "  (saved in $fuzz_dir/fuzz-findings/$t/; reproduce: $fuzz_dir/tests/fuzz/fuzz-$t FILE)"
    fi
  done
  rm -rf "$work"
  return "$status"
}

step_valgrind() {
  local supp=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp)
  local tests=() targets=() t
  if [ -f /usr/share/gtk-4.0/valgrind/gtk.supp ]; then
    supp+=(--suppressions=/usr/share/gtk-4.0/valgrind/gtk.supp)
  fi
  if [ -f tests/valgrind/wharf.supp ]; then
    supp+=(--suppressions="$srcdir/tests/valgrind/wharf.supp")
  fi
  setup "$vg_dir" cc || return 1
  # The client, the engine and the sandbox over real HTTP, and every fuzz corpus replay;
  # only what they need is built.
  for t in ecr-client sandbox aws-client "${fuzz_targets[@]/#/fuzz-replay-}"; do
    if meson introspect "$vg_dir" --tests | grep -q "\"name\": \"$t\""; then
      tests+=("$t")
    else
      echo "  (no test called $t in this tree)"
    fi
  done
  for t in "${tests[@]}"; do
    case "$t" in
      fuzz-replay-*) targets+=("$t") ;;
      *) targets+=("test-$t") ;;
    esac
  done
  run meson compile -C "$vg_dir" src/sandbox/wharf-sandbox:executable "${targets[@]}" || return 1
  run env G_SLICE=always-malloc GIO_USE_PROXY_RESOLVER=dummy WHARF_TIMEOUT_MULTIPLIER=10 \
    build-aux/wharf-test-session meson test -C "$vg_dir" --no-rebuild --print-errorlogs \
      --timeout-multiplier 10 \
      --wrapper "valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 --num-callers=30 --track-origins=yes ${supp[*]}" \
      "${tests[@]}"
}

for s in "${steps[@]}"; do
  case "$s" in
    asan|fuzz|valgrind) ;;
    *) echo "usage: $0 [asan] [fuzz] [valgrind]" >&2; exit 2 ;;
  esac
  echo
  echo "==== ci-hardening: $s"
  start=$SECONDS
  if "step_$s"; then
    result=PASS
  else
    result=FAIL
    failed=1
  fi
  summary+=("ci-hardening: $s: $result ($((SECONDS - start)) s)")
done

echo
printf '%s\n' "${summary[@]}"
exit "$failed"
