#!/usr/bin/env bash
# Runs one fuzz target for a CTest test and judges the outcome.
#
#   fuzz_test.sh clean FUZZER WORK_DIR SEED_DIR [libFuzzer flags...]
#       must exit 0, write no crash file, and have read every seed in SEED_DIR
#   fuzz_test.sh finds KIND_REGEX FUZZER WORK_DIR SEED_DIR [libFuzzer flags...]
#       must crash with "==thfuzz== VIOLATION <kind>" matching KIND_REGEX and
#       write a crash file, and that file must crash again when replayed
#
# WORK_DIR is wiped first; libFuzzer writes new inputs to WORK_DIR/corpus and
# crash files to WORK_DIR/, never into SEED_DIR. The fault and map come from
# the environment (THFUZZ_FAULT, THFUZZ_MAP), set by the test.
set -euo pipefail

mode=$1
shift
kind_regex=""
if [[ $mode == finds ]]; then
  kind_regex=$1
  shift
elif [[ $mode != clean ]]; then
  echo "fuzz_test.sh: unknown mode '$mode' (clean or finds)" >&2
  exit 2
fi
fuzzer=$1 work_dir=$2 seed_dir=$3
shift 3

rm -rf "$work_dir"
mkdir -p "$work_dir/corpus"
log=$work_dir/fuzz.log
seed_count=$(find "$seed_dir" -type f | wc -l)
if ((seed_count == 0)); then
  echo "fuzz_test.sh: no seeds in $seed_dir" >&2
  exit 1
fi

echo "running: $fuzzer -artifact_prefix=$work_dir/ $* $work_dir/corpus $seed_dir"
status=0
"$fuzzer" -artifact_prefix="$work_dir/" "$@" "$work_dir/corpus" "$seed_dir" \
  >"$log" 2>&1 || status=$?
grep -E '^(INFO: seed corpus|#[0-9]+ +(INITED|DONE))|==thfuzz==|^stat::' "$log" |
  head -40 || true
crash_files=$(find "$work_dir" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 \
  -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' -o -maxdepth 1 -name 'leak-*')

fail() {
  echo "FAIL: $*" >&2
  echo "--- last lines of $log:" >&2
  tail -30 "$log" >&2
  exit 1
}

if [[ $mode == clean ]]; then
  ((status == 0)) || fail "$fuzzer exited with status $status"
  [[ -z $crash_files ]] || fail "crash files written: $crash_files"
  grep -q "INFO: seed corpus: files: $seed_count " "$log" ||
    fail "libFuzzer did not read all $seed_count seeds of $seed_dir"
  echo "PASS: clean, $seed_count seeds read"
  exit 0
fi

((status != 0)) || fail "$fuzzer did not find a violation"
[[ -n $crash_files ]] || fail "no crash file written in $work_dir"
grep -qE "==thfuzz== VIOLATION ($kind_regex) " "$log" ||
  fail "violation kind does not match '$kind_regex'"
crash_file=$(echo "$crash_files" | head -1)
replay_status=0
"$fuzzer" "$crash_file" >"$work_dir/replay.log" 2>&1 || replay_status=$?
((replay_status != 0)) && grep -qE "==thfuzz== VIOLATION ($kind_regex) " \
  "$work_dir/replay.log" || fail "replaying $crash_file did not crash again"
echo "PASS: found $(grep -oE '==thfuzz== VIOLATION [a-z_]+' "$log" | head -1 |
  cut -d' ' -f3) after $(grep -oE '^#[0-9]+' "$log" | tail -1) executions;" \
  "replayed $crash_file"
