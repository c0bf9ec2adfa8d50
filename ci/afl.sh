#!/usr/bin/env bash
# A short AFL++ campaign on controlled_fuzzer against the production map.
#
#   ci/afl.sh [SECONDS] [--parallel N] [--target TARGET]   (default 60 s, 1)
#
# Builds the `afl` preset's fuzz target (afl-clang-fast++ instrumentation,
# linked with AFL++'s libFuzzer-compatible driver libAFLDriver.a, which calls
# LLVMFuzzerTestOneInput in persistent mode with shared-memory test cases),
# runs afl-fuzz from the encoded seeds for SECONDS, and prints a summary from
# each instance's fuzzer_stats.
#
# Every run writes to its own timestamped directory,
#   build/afl/afl-work/TARGET/runs/YYYYmmdd-HHMMSS/   (latest -> the newest)
# so earlier runs' crashes are kept. Each crash or hang of a schedule target
# is then handed to `tophash-fuzz minimize` (into RUN/minimized/) and its
# `tophash-fuzz replay` commands are printed, for the crash file as found
# and for the minimized case (the first AFL_SH_MAX_MINIMIZE, default 10).
#
# Parallel runs: --parallel N starts one main instance (-M main) and N-1
# secondaries (-S secN) on the same output directory; they share findings
# through it. By hand, on N cores:
#   afl-fuzz -M main -i SEEDS -o OUT -x DICT -- ./controlled_fuzzer &
#   afl-fuzz -S sec1 -i SEEDS -o OUT -x DICT -- ./controlled_fuzzer &
#   ...                            then: afl-whatsup -s OUT
#
# AFL++ reads no fuzzer flags, so pick a fault with THFUZZ_FAULT=<name> in
# the environment (findings are then expected). Containers usually cannot
# set the CPU governor or core_pattern, hence AFL_SKIP_CPUFREQ and
# AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES below.
#
# Exit status:
#   0  afl-fuzz ran and saved no crash or hang
#   1  it saved crashes or hangs (each minimized when the minimizer could
#      reproduce it, and printed with its replay commands)
#   2  bad usage, a failed build, or an afl-fuzz that did not run
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=ci/fuzz_targets.sh
source "$repo_root/ci/fuzz_targets.sh"
build_dir=$repo_root/build/afl

readonly USAGE="usage: afl.sh [SECONDS] [--parallel N] [--target TARGET]"
readonly TARGETS="controlled_fuzzer serial_fuzzer stress_fuzzer codec_fuzzer checker_fuzzer"

log() { echo "afl.sh: $*"; }
die() {
  echo "afl.sh: error: $*" >&2
  echo "afl.sh: $USAGE" >&2
  exit 2
}

parse_args() {
  seconds=60 parallel=1 target=controlled_fuzzer
  while [[ $# -gt 0 ]]; do
    case $1 in
      --parallel)
        [[ $# -ge 2 ]] || die "--parallel needs a number of instances"
        parallel=$2; shift 2 ;;
      --target)
        [[ $# -ge 2 ]] || die "--target needs a fuzz target ($TARGETS)"
        target=$2; shift 2 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *[!0-9]* | '') die "unexpected argument '$1'" ;;
      *) seconds=$1; shift ;;
    esac
  done
  [[ $parallel =~ ^[1-9][0-9]*$ ]] || die "--parallel must be a positive number, got '$parallel'"
  [[ $seconds =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive number, got '$seconds'"
  [[ " $TARGETS " == *" $target "* ]] || die "unknown target '$target' ($TARGETS)"
}

build() {
  command -v afl-fuzz >/dev/null || "$repo_root/ci/setup.sh"
  log "building preset 'afl': $target"
  cd "$repo_root"
  cmake --preset afl >/dev/null || die "cmake --preset afl failed"
  cmake --build --preset afl --target "$target" -j2 >"$build_dir/afl-build.log" 2>&1 ||
    { tail -20 "$build_dir/afl-build.log" >&2; die "building $target failed (log: $build_dir/afl-build.log)"; }
  # The minimizer and the replay commands come from the CLI: the default
  # preset's when it is built, else the afl preset's. Without one, crashes
  # are kept and listed, not minimized.
  cli=$repo_root/build/default/harness/cli/tophash-fuzz
  if [[ ! -x $cli ]]; then
    cli=$build_dir/harness/cli/tophash-fuzz
    cmake --build --preset afl --target tophash-fuzz -j2 >>"$build_dir/afl-build.log" 2>&1 ||
      log "note: the tophash-fuzz CLI did not build; crashes will not be minimized"
  fi
}

export_afl_environment() {
  export AFL_SKIP_CPUFREQ=1                      # no governor control here
  export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 # core_pattern not ours
  export AFL_NO_UI=1                             # plain log lines, no curses
  export AFL_NO_AFFINITY=1                       # cores are shared
  export AFL_FAST_CAL=1                          # short campaigns
  export AFL_SKIP_CRASHES=1                      # a seed may crash with a fault
}

# instance name -> the -M/-S flag that starts it
instance_flag() {
  if [[ $1 == main ]]; then echo "-M main"; else echo "-S $1"; fi
}

run_campaign() {
  local binary=$build_dir/fuzz/$target seeds=$build_dir/fuzz/seeds/$target
  local dict=$build_dir/fuzz/$target.dict
  local runs=$build_dir/afl-work/$target/runs stamp
  stamp=$(date -u +%Y%m%d-%H%M%S)
  work=$runs/$stamp
  while [[ -e $work ]]; do stamp=$stamp-1; work=$runs/$stamp; done
  mkdir -p "$work/out"
  ln -sfn "$stamp" "$runs/latest"
  local earlier
  earlier=$(find "$runs" -mindepth 1 -maxdepth 1 -type d ! -name "$stamp" | wc -l)
  ((earlier == 0)) || log "$earlier earlier run(s) kept in $runs"
  instances=(main)
  for ((i = 1; i < parallel; i++)); do instances+=("sec$i"); done
  log "afl-fuzz on $target for ${seconds}s, ${#instances[@]} instance(s), fault ${THFUZZ_FAULT:-none}"
  log "seeds $seeds, output $work/out"
  local pids=() name
  for name in "${instances[@]}"; do
    # shellcheck disable=SC2046  # the flag is two words on purpose
    afl-fuzz $(instance_flag "$name") -i "$seeds" -o "$work/out" -x "$dict" \
      -V "$seconds" -- "$binary" >"$work/$name.log" 2>&1 &
    pids+=($!)
  done
  afl_status=0
  for pid in "${pids[@]}"; do wait "$pid" || afl_status=$?; done
}

stat_of() {
  sed -n "s/^$2 *: *//p" "$1" | head -1
}

print_summary() {
  local name stats
  total_crashes=0 total_execs=0
  echo
  printf '%-8s %12s %10s %8s %8s %8s %10s\n' instance execs_done \
    execs/sec corpus crashes hangs bitmap
  for name in "${instances[@]}"; do
    stats=$work/out/$name/fuzzer_stats
    if [[ ! -f $stats ]]; then
      log "$name wrote no fuzzer_stats; last lines of $work/$name.log:"
      tail -15 "$work/$name.log"
      continue
    fi
    printf '%-8s %12s %10s %8s %8s %8s %10s\n' "$name" \
      "$(stat_of "$stats" execs_done)" "$(stat_of "$stats" execs_per_sec)" \
      "$(stat_of "$stats" corpus_count)" "$(stat_of "$stats" saved_crashes)" \
      "$(stat_of "$stats" saved_hangs)" "$(stat_of "$stats" bitmap_cvg)"
    total_execs=$((total_execs + $(stat_of "$stats" execs_done)))
    total_crashes=$((total_crashes + $(stat_of "$stats" saved_crashes) + $(stat_of "$stats" saved_hangs)))
  done
  echo
}

# Each crash or hang of this run: minimized into $work/minimized when the
# target's inputs are schedules, and its replay commands printed.
handle_crashes() {
  local executor fault_flag=() file line handled=0 max=${AFL_SH_MAX_MINIMIZE:-10}
  executor=$(executor_of "$target")
  [[ -z ${THFUZZ_FAULT:-} ]] || fault_flag=(--fault "$THFUZZ_FAULT")
  while IFS= read -r file; do
    handled=$((handled + 1))
    if ((handled > max)); then
      log "... and $((total_crashes - max)) more under $work/out (the first $max are handled; AFL_SH_MAX_MINIMIZE=N for more)"
      break
    fi
    log "crash: $file"
    if [[ ! -x ${cli:-} ]]; then
      log "  replay: ${THFUZZ_FAULT:+THFUZZ_FAULT=$THFUZZ_FAULT }$build_dir/fuzz/$target '$file'"
      continue
    fi
    local args=(replay-command "$file" --fuzzer "$build_dir/fuzz/$target" "${fault_flag[@]}")
    [[ -z $executor ]] || args+=(--executor "$executor")
    while IFS= read -r line; do log "  replay: $line"; done < <("$cli" "${args[@]}" 2>&1 || true)
    if [[ -z $executor ]]; then
      log "  ($target's inputs are not schedules: nothing to minimize)"
      continue
    fi
    local minimized
    if minimized=$("$cli" minimize "$file" --executor "$executor" "${fault_flag[@]}" \
        --out "$work/minimized" 2>>"$work/minimize.log"); then
      log "  $minimized"
      # "saved PATH: kind, size (...)"; the case's header says how to run it.
      local saved=${minimized#*saved }
      saved=${saved%%: *}
      if [[ -f $saved ]]; then log "  replay minimized: tophash-fuzz replay $(printf '%q' "$saved")"; fi
    else
      log "  not minimized (tophash-fuzz minimize exit $?; log: $work/minimize.log)"
    fi
  done < <(find "$work/out" -path '*/crashes/id:*' -o -path '*/hangs/id:*' | sort)
}

main() {
  parse_args "$@"
  build
  export_afl_environment
  run_campaign
  print_summary
  if ((afl_status != 0 || total_execs == 0)); then
    log "afl-fuzz failed (status $afl_status, $total_execs executions); see $work/*.log"
    exit 2
  fi
  if ((total_crashes > 0)); then
    log "$total_crashes crash(es)/hang(s) saved under $work/out/*/crashes and hangs"
    handle_crashes
    exit 1
  fi
  log "no crashes in ${seconds}s ($total_execs executions)"
}

main "$@"
