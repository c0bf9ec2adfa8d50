#!/usr/bin/env bash
# A real libFuzzer crash file through ci/import-finding.sh into a corpus
# case that replays (CTest fuzz_import_finding).
#
#   import_finding_test.sh CONTROLLED_FUZZER TOPHASH_FUZZ CORPUS_REPLAY_TEST
#                          SEED_DIR WORK_DIR
#
# 1. controlled_fuzzer with the publish_tophash_before_key fault (the kill
#    table's fastest: a few executions) writes a crash file (fuzz_test.sh
#    finds, which also checks the crash file crashes again);
# 2. the script's refusals: a missing file and a target whose inputs are not
#    schedules (exit 2), an input that does not fail (a seed: exit 1);
# 3. the import into WORK_DIR/out: one <kind>-<8 hex>.sched whose header
#    names the fault and executor and expects the kind the fuzzer reported;
# 4. corpus_replay_test with THFUZZ_CORPUS_DIR=WORK_DIR/out: the checks every
#    corpus case gets (fails on its fault with its kind, passes on the
#    production map), and tophash-fuzz replay says "reproduced KIND";
# 5. importing the same crash again writes nothing (exit 3, file unchanged).
set -euo pipefail

fuzzer=$1 cli=$2 replay_test=$3 seed_dir=$4 work=$5
readonly FAULT=publish_tophash_before_key
readonly KINDS="ghost_read|phantom_value|torn_value"
here=$(cd "$(dirname "$0")" && pwd)
import=$here/../ci/import-finding.sh

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# run WANT_STATUS REGEX CMD...: CMD must exit WANT_STATUS and print REGEX.
run() {
  local want=$1 regex=$2 status=0
  shift 2
  "$@" >"$work/last.log" 2>&1 || status=$?
  ((status == want)) || { cat "$work/last.log" >&2; fail "exit $status, want $want: $*"; }
  grep -qE -- "$regex" "$work/last.log" ||
    { cat "$work/last.log" >&2; fail "no output matching '$regex': $*"; }
  echo "ok: exit $status, $(grep -m1 -oE -- "$regex" "$work/last.log")"
}

rm -rf "$work"
mkdir -p "$work"

# 1. A crash file from a real libFuzzer run.
THFUZZ_FAULT=$FAULT "$here/fuzz_test.sh" finds "$KINDS" "$fuzzer" "$work/fuzz" \
  "$seed_dir" -runs=20000 -seed=1 >"$work/fuzz_test.log" 2>&1 ||
  { cat "$work/fuzz_test.log" >&2; fail "controlled_fuzzer found nothing with $FAULT"; }
crash=$(find "$work/fuzz" -maxdepth 1 -name 'crash-*' | head -1)
found=$(grep -oE "==thfuzz== VIOLATION ($KINDS)" "$work/fuzz/fuzz.log" | head -1)
echo "ok: ${found#==thfuzz== }, crash file $(basename "$crash")"

# 2. Refusals, each with its sentence.
common=(--fault "$FAULT" --out "$work/out" --cli "$cli")
run 2 "no-such-crash: no such file" \
  bash "$import" "$work/no-such-crash" --target controlled_fuzzer "${common[@]}"
run 2 "codec_fuzzer's inputs are not schedules" \
  bash "$import" "$crash" --target codec_fuzzer "${common[@]}"
seed=$(find "$seed_dir" -type f | sort | head -1)
run 1 "not imported: .* shows no violation" \
  bash "$import" "$seed" --target controlled_fuzzer --fault none --out "$work/out" --cli "$cli"
[[ ! -d $work/out ]] || [[ -z $(ls -A "$work/out") ]] ||
  fail "a refused input left files in $work/out"

# 3. The import.
run 0 "imported .*\.sched" \
  bash "$import" "$crash" --target controlled_fuzzer "${common[@]}" --seconds 20
mapfile -t cases < <(find "$work/out" -type f)
((${#cases[@]} == 1)) || fail "want one case in $work/out, got: ${cases[*]}"
case_file=${cases[0]}
name=$(basename "$case_file")
[[ $name =~ ^($KINDS)-[0-9a-f]{8}\.sched$ ]] || fail "case name '$name' is not <kind>-<hash>.sched"
kind=${name%%-*}
[[ $kind == "${found##* }" ]] || fail "$name: the fuzzer reported ${found##* }, not $kind"
grep -qx "expect: $kind" "$case_file" || fail "$name: no 'expect: $kind' line"
grep -qx "fault: $FAULT" "$case_file" || fail "$name: no 'fault: $FAULT' line"
grep -qx "executor: controlled" "$case_file" || fail "$name: no 'executor: controlled' line"
echo "ok: $name (expect $kind, fault $FAULT, executor controlled)"

# 4. Replayed as every corpus case is.
run 0 "PASSED.* 2 tests" env THFUZZ_CORPUS_DIR="$work/out" "$replay_test" \
  --gtest_filter='Corpus/CorpusReplayTest.*'
run 0 "reproduced $kind as expected" "$cli" replay "$case_file"
run 0 "linearizable" "$cli" replay "$case_file" --fault none

# 5. Never overwritten.
before=$(cksum <"$case_file")
run 3 "already .*$name; nothing was written" \
  bash "$import" "$crash" --target controlled_fuzzer "${common[@]}" --seconds 20
[[ $(cksum <"$case_file") == "$before" && $(find "$work/out" -type f | wc -l) == 1 ]] ||
  fail "the second import changed $work/out"
echo "PASS: $(basename "$crash") -> $name, replays like a corpus case"
