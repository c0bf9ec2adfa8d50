#!/usr/bin/env bash
# ci/import-finding.sh: a crash file in, a minimized, named, replay-tested
# regression case out.
#
#   ci/import-finding.sh CRASH_FILE [--target T] [--fault F] [--out DIR]
#                        [--cli PATH] [--seconds S]
#
# CRASH_FILE is an input a fuzz target aborted on: libFuzzer's crash-<sha1>,
# an AFL++ crashes/id:... file, or a testcase from OSS-Fuzz or a
# ClusterFuzzLite artifact. Steps (docs/CONCURRENCY_FEEDBACK.md, section 8):
#   1. the target (--target, else the first *_fuzzer name in the path) gives
#      the executor: controlled_fuzzer, serial_fuzzer, stress_fuzzer; the
#      other targets' inputs are not schedules (exit 2: fix those with a
#      unit test);
#   2. `tophash-fuzz minimize` confirms the input fails with the fault
#      (--fault, else none: OSS-Fuzz and ClusterFuzzLite fuzz the production
#      map), minimizes it and saves DIR/<kind>-<hash>.sched (default DIR
#      corpus/regressions);
#   3. `tophash-fuzz replay` of the saved case must reproduce its `expect:`;
#      for a fault finding, the production map must pass it too, as
#      corpus_replay_test will check;
#   4. prints the replay commands and what to commit.
# A finding without a fault is a real bug: its case fails on the production
# map, so corpus_replay_test fails until the fix lands; commit them together.
# Exit: 0 imported, 1 the input does not fail or the case does not replay,
# 2 bad usage, a target whose inputs are not schedules, or no CLI.
#
# DRAFT: written without running it (no builds were allowed at the time);
# the test in docs/CONCURRENCY_FEEDBACK.md section 8 must pass before it is
# relied on.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { echo "import-finding: $*"; }
die() {
  echo "import-finding: error: $*" >&2
  exit 2
}
usage() {
  sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

file="" target="" fault="" out=$repo_root/corpus/regressions cli="" seconds=60
while (($# > 0)); do
  case $1 in
    --target) target=${2:?--target needs a value}; shift 2 ;;
    --fault) fault=${2:?--fault needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --cli) cli=${2:?--cli needs a value}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    -h | --help) usage ;;
    -*) die "unknown flag $1" ;;
    *)
      [[ -z $file ]] || die "one CRASH_FILE only"
      file=$1; shift ;;
  esac
done
[[ -n $file ]] || usage
[[ -f $file ]] || die "$file: no such file"

# The CLI: --cli, $THFUZZ_CLI, else the default or libFuzzer build's.
if [[ -z $cli ]]; then
  for candidate in "${THFUZZ_CLI:-}" \
    "$repo_root/build/default/harness/cli/tophash-fuzz" \
    "$repo_root/build/libfuzzer/harness/cli/tophash-fuzz"; do
    if [[ -n $candidate && -x $candidate ]]; then cli=$candidate; break; fi
  done
fi
[[ -n $cli && -x $cli ]] ||
  die "tophash-fuzz is not built (cmake --preset default && cmake --build build/default --target tophash-fuzz), or pass --cli"

if [[ -z $target ]]; then
  target=$(grep -o -E '(controlled|serial|stress|codec|checker|fast_path)_fuzzer' \
    <<<"$file" | head -1 || true)
  [[ -n $target ]] || die "cannot tell the fuzz target from '$file': pass --target"
fi
case $target in
  controlled_fuzzer) executor=controlled ;;
  serial_fuzzer) executor=serial ;;
  stress_fuzzer) executor=stress ;;
  codec_fuzzer | checker_fuzzer | fast_path_fuzzer)
    die "$target's inputs are not schedules: a crash there is a harness bug; reproduce with ./$target '$file' and fix it with a unit test" ;;
  *) die "unknown target '$target'" ;;
esac

fault_flag=()
[[ -n $fault ]] && fault_flag=(--fault "$fault")
log "target $target (executor $executor), fault ${fault:-none}, out $out"

# 2. Minimize. The last line of stdout is "saved PATH: kind, ..." or
# "already saved PATH: ..." (harness/cli/minimize_command.cc, PrintSaved).
status=0
result=$("$cli" minimize "$file" --executor "$executor" "${fault_flag[@]}" \
  --out "$out" --seconds "$seconds") || status=$?
case $status in
  0) ;;
  1)
    log "the input does not fail with fault ${fault:-none} and the $executor executor: nothing to import"
    [[ $executor == stress ]] && log "(stress findings are not deterministic: try again, or minimize with --trials 100)"
    exit 1 ;;
  *) die "tophash-fuzz minimize failed (exit $status)" ;;
esac
line=$(tail -1 <<<"$result")
saved=${line#*saved }
saved=${saved%%: *}
[[ -f $saved ]] || die "could not find the saved case in: $line"
log "$line"

# 3. Replay tests.
if ! "$cli" replay "$saved" >/dev/null 2>&1; then
  log "FAILED: $saved does not reproduce its expectation (tophash-fuzz replay '$saved')"
  exit 1
fi
log "replays: tophash-fuzz replay '$saved' reproduces its expect: line"
if [[ -n $fault && $fault != none ]]; then
  if ! "$cli" replay "$saved" --fault none >/dev/null 2>&1; then
    log "FAILED: the production map fails $saved too: this is a bug of the map, not (only) of the fault"
    exit 1
  fi
  log "passes on the production map (tophash-fuzz replay '$saved' --fault none)"
else
  log "WARNING: found on the production map: corpus_replay_test fails on this case until the bug is fixed; commit the case together with the fix"
fi

# 4. What next.
while IFS= read -r replay; do log "  replay: $replay"; done < <("$cli" replay-command "$saved" 2>&1 || true)
log "next: git add '${saved#"$repo_root"/}' (corpus_replay_test replays every .sched under corpus/)"
