#!/usr/bin/env bash
# ci/import-finding.sh: a fuzzer's crash file in, a minimized, named,
# replay-tested regression case out.
#
#   ci/import-finding.sh CRASH_FILE [--target T] [--fault F] [--out DIR]
#                        [--cli PATH] [--seconds S]
#
# CRASH_FILE is an input a schedule fuzz target aborted on: libFuzzer's
# crash-<sha1> (or timeout-*), an AFL++ crashes/id:... file, a testcase from
# OSS-Fuzz or a ClusterFuzzLite artifact. It reuses `tophash-fuzz`:
#   1. the target (--target, else the first *_fuzzer name in the path) gives
#      the executor: controlled_fuzzer, serial_fuzzer, stress_fuzzer. The
#      other targets' inputs are not schedules (exit 2: a crash there is a
#      harness bug, for a unit test);
#   2. `tophash-fuzz minimize` decodes the bytes into a schedule, confirms
#      it fails with the fault (--fault, default none: OSS-Fuzz and
#      ClusterFuzzLite fuzz the production map), minimizes it and saves
#      DIR/<violation kind>-<hash>.sched (default DIR corpus/regressions),
#      never overwriting a file: the same case already there is exit 3, a
#      different one with the same name gets the next free name (-2, ...);
#   3. the saved case is replayed as corpus_replay_test does: with its
#      header it must reproduce its `expect:` kind (stress: up to 500 runs),
#      and for a fault finding the production map must pass it (stress: 10
#      runs). A case that fails this is moved out of DIR (exit 1).
# Paths in the case's header are relative to the repository root when DIR
# is inside it, like the cases already in corpus/regressions/.
# A finding without a fault is a bug of the production map: its case fails
# corpus_replay_test until the fix lands (commit them together, then remove
# its `expect:` line, since a case without a fault must pass).
# Exit: 0 imported, 1 the input does not fail or the case does not replay,
# 2 bad usage, a missing file, a target whose inputs are not schedules, no
# CLI, or minimize failed, 3 the same case is already in DIR.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT
# corpus/corpus_replay_test.cc's kStressFailTrials and kStressPassTrials.
readonly STRESS_FAIL_TRIALS=500 STRESS_PASS_TRIALS=10

log() { echo "import-finding: $*"; }
die() {
  echo "import-finding: error: $*" >&2
  exit 2
}
usage() {
  echo "usage: ci/import-finding.sh CRASH_FILE [--target T] [--fault F] [--out DIR] [--cli PATH] [--seconds S]" >&2
  exit 2
}

file="" target="" fault=none out=$REPO_ROOT/corpus/regressions cli="" seconds=60
parse_args() {
  while (($# > 0)); do
    case $1 in
      --target | --fault | --out | --cli | --seconds)
        (($# >= 2)) || die "$1 needs a value"
        case $1 in
          --target) target=$2 ;;
          --fault) fault=$2 ;;
          --out) out=$2 ;;
          --cli) cli=$2 ;;
          --seconds) seconds=$2 ;;
        esac
        shift 2 ;;
      -h | --help) usage ;;
      -*) die "unknown flag '$1'" ;;
      *)
        [[ -z $file ]] || die "one CRASH_FILE only (got '$file' and '$1')"
        file=$1
        shift ;;
    esac
  done
  [[ -n $file ]] || usage
  [[ -f $file ]] || die "$file: no such file"
  [[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds '$seconds' is not a positive number"
}

# The CLI: --cli, $THFUZZ_CLI, else the default or libFuzzer build's.
find_cli() {
  if [[ -z $cli ]]; then
    local candidate
    for candidate in "${THFUZZ_CLI:-}" \
      "$REPO_ROOT/build/default/harness/cli/tophash-fuzz" \
      "$REPO_ROOT/build/libfuzzer/harness/cli/tophash-fuzz"; do
      if [[ -n $candidate && -x $candidate ]]; then cli=$candidate; break; fi
    done
  fi
  [[ -n $cli && -x $cli ]] ||
    die "tophash-fuzz is not built (cmake --preset default && cmake --build build/default --target tophash-fuzz), or pass --cli PATH"
}

# Sets `executor` from the target.
executor_of_target() {
  if [[ -z $target ]]; then
    target=$(grep -o -E '(controlled|serial|stress|codec|checker|fast_path)_fuzzer' \
      <<<"$file" | head -1 || true)
    [[ -n $target ]] || die "cannot tell the fuzz target from the path '$file': pass --target"
  fi
  case $target in
    controlled_fuzzer) executor=controlled ;;
    serial_fuzzer) executor=serial ;;
    stress_fuzzer) executor=stress ;;
    codec_fuzzer | checker_fuzzer | fast_path_fuzzer)
      die "$target's inputs are not schedules, so there is no regression case to make: a crash there is a harness bug; reproduce it with ./$target '$file' and fix it with a unit test" ;;
    *) die "unknown target '$target' (controlled_fuzzer, serial_fuzzer or stress_fuzzer)" ;;
  esac
}

# DIR as minimize should see it from the repository root: relative inside
# the repository (so the case's header names corpus/regressions/...).
out_argument() {
  mkdir -p "$out" || die "$out: cannot create the output directory"
  local abs
  abs=$(cd "$out" && pwd)
  if [[ $abs == "$REPO_ROOT"/* ]]; then
    echo "${abs#"$REPO_ROOT"/}"
  else
    echo "$abs"
  fi
}

# Runs minimize; sets `saved` (the case's path from the repository root).
minimize() {
  local out_arg input status=0 result
  out_arg=$(out_argument)
  input=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  log "$target (executor $executor), fault $fault: minimizing into $out_arg"
  # The CLI stops itself after --seconds; timeout only guards against a hang.
  result=$(cd "$REPO_ROOT" && timeout -k 10 $((seconds + 120)) "$cli" minimize \
    "$input" --executor "$executor" --fault "$fault" --out "$out_arg" \
    --seconds "$seconds") || status=$?
  case $status in
    0) ;;
    1)
      log "not imported: $file shows no violation with the $executor executor and fault $fault"
      log "(give the target and fault the fuzzer ran with: its log starts with '==thfuzz== TARGET: executor E, map M, fault F')"
      [[ $executor == stress ]] &&
        log "(stress findings are not deterministic: try again with a larger budget)"
      exit 1 ;;
    124 | 137) die "tophash-fuzz minimize did not finish within $((seconds + 120)) s" ;;
    *) die "tophash-fuzz minimize failed (exit $status)" ;;
  esac
  # Its last line: "saved PATH: kind, ..." or "already saved PATH: ...".
  local line
  line=$(tail -1 <<<"$result")
  saved=${line#*saved }
  saved=${saved%%: *}
  [[ -f $REPO_ROOT/$saved || -f $saved ]] ||
    die "cannot find the case minimize saved, from its output: $line"
  if [[ $line == "already saved "* ]]; then
    log "not imported: the same case (schedule, fault, executor, kind) is already $saved; nothing was written"
    exit 3
  fi
  log "$line"
}

# Replays `saved` as corpus_replay_test does; exit 1 (case moved out of DIR)
# when it does not hold.
replay_check() {
  local fail_trials=1 pass_trials=1 output
  if [[ $executor == stress ]]; then
    fail_trials=$STRESS_FAIL_TRIALS pass_trials=$STRESS_PASS_TRIALS
  fi
  cd "$REPO_ROOT"
  if ! output=$("$cli" replay "$saved" --trials "$fail_trials" 2>&1) ||
    ! grep -q "reproduced .* as expected" <<<"$output"; then
    reject "it does not reproduce its expect: line" "$output"
  fi
  log "replays: tophash-fuzz replay $saved reproduces its expect: kind"
  if [[ $fault == none ]]; then
    log "WARNING: found on the production map: corpus_replay_test fails on this case until the bug is fixed; commit the case with the fix, and remove its expect: line then"
    return
  fi
  if ! output=$("$cli" replay "$saved" --fault none --trials "$pass_trials" 2>&1); then
    reject "the production map fails it too: a bug of the map, not (only) of fault $fault; import it with --fault none" "$output"
  fi
  log "passes on the production map: tophash-fuzz replay $saved --fault none"
}

reject() {
  local keep
  keep=$(mktemp -d)/$(basename "$saved")
  mv "$saved" "$keep"
  echo "$2" | tail -5 | sed 's/^/    /' >&2
  log "FAILED: $saved: $1; moved to $keep"
  exit 1
}

main() {
  parse_args "$@"
  find_cli
  executor_of_target
  minimize
  replay_check
  log "imported $saved"
  grep -E '^# Replay the failure: ' "$saved" | sed 's/^# /import-finding: /'
  log "next: git add $saved (corpus_replay_test replays every .sched under corpus/)"
}

main "$@"
