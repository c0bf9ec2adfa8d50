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
# Parallel runs (AFL++'s docs/fuzzing_in_depth.md, "Using multiple cores"):
# --parallel N starts one main instance (-M main) and N-1 secondaries
# (-S secN) on the same output directory, which they sync through. The
# secondaries vary as the docs advise: each its own power schedule (-p
# explore, coe, lin, quad, exploit, rare, in turn). A progress line every
# 10 seconds sums the instances' stats (executions, exec/s; AFL++ writes
# them only after the first minute) and counts the sync directory's queue,
# crashes and hangs; the summary, from each instance's fuzzer_stats, adds a
# total row. By hand, on N cores:
#   afl-fuzz -M main -i SEEDS -o OUT -x DICT -- ./controlled_fuzzer &
#   afl-fuzz -S sec1 -p explore -i SEEDS -o OUT -x DICT -- ./controlled_fuzzer &
#   ...                            then: afl-whatsup -s OUT
#
# No CMPLOG instance: a CMPLOG binary needs every instrumented file built a
# second time with AFL_LLVM_CMPLOG=1 (the whole harness, about 110 files, in
# its own build tree that shares nothing with ccache's afl objects): minutes
# on 2 cores, longer than the campaigns this script runs. And it would gain
# little: the decoder is total (every byte string is a schedule), so there
# are few input-to-state comparisons to solve, and the one magic value (the
# format's version byte) is in the dictionary.
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
      --parallel=*) parallel=${1#--parallel=}; shift ;;
      --target)
        [[ $# -ge 2 ]] || die "--target needs a fuzz target ($TARGETS)"
        target=$2; shift 2 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *[!0-9]* | '') die "unexpected argument '$1'" ;;
      *) seconds=$1; shift ;;
    esac
  done
  [[ $parallel =~ ^[1-9][0-9]?$ ]] && ((parallel <= 64)) ||
    die "--parallel must be a whole number from 1 to 64, got '$parallel'"
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
  export AFL_IMPORT_FIRST=1                      # the docs' advice for -M/-S
}

# instance name, index -> its afl-fuzz flags: -M for the main instance;
# -S and a power schedule of its own for each secondary.
readonly SCHEDULES=(explore coe lin quad exploit rare)
instance_flags() {
  if [[ $1 == main ]]; then
    echo "-M main"
  else
    echo "-S $1 -p ${SCHEDULES[($2 - 1) % ${#SCHEDULES[@]}]}"
  fi
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
  local pids=() name i=0
  for name in "${instances[@]}"; do
    # shellcheck disable=SC2046  # the flags are words on purpose
    afl-fuzz $(instance_flags "$name" "$i") -i "$seeds" -o "$work/out" \
      -x "$dict" -V "$seconds" -- "$binary" >"$work/$name.log" 2>&1 &
    pids+=($!)
    i=$((i + 1))
  done
  local start=$SECONDS running=${#pids[@]} pid next=10
  while ((running > 0)); do
    sleep 1
    running=0
    for pid in "${pids[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then running=$((running + 1)); fi
    done
    if ((running > 0 && SECONDS - start >= next)); then
      print_progress $((SECONDS - start))
      next=$((next + 10))
    fi
  done
  afl_status=0
  for pid in "${pids[@]}"; do wait "$pid" || afl_status=$?; done
}

# "execs exec/s map% age" of an instance: the latest row of its plot_data
# (age 0), else its fuzzer_stats (age: seconds since AFL++ wrote them), else
# "- - - -". AFL++ 4.04c writes neither during the
# first minute (maybe_update_plot_file waits 60 s; fuzzer_stats is rewritten
# once a minute), which is also why afl-whatsup, reading fuzzer_stats, says
# little about short campaigns.
instance_speed() {
  local dir=$work/out/$1
  if [[ $(wc -l <"$dir/plot_data" 2>/dev/null || echo 0) -gt 1 ]]; then
    awk -F', *' '
      NR == 1 { sub(/^# */, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
      { last = $0 }
      END {
        split(last, f, /, */); map = f[col["map_size"]]; sub(/%$/, "", map)
        printf "%d %d %s 0\n", f[col["total_execs"]], f[col["execs_per_sec"]], map
      }' "$dir/plot_data"
  elif [[ -f $dir/fuzzer_stats ]]; then
    local map updated
    map=$(stat_of "$dir/fuzzer_stats" bitmap_cvg)
    updated=$(stat_of "$dir/fuzzer_stats" last_update)
    echo "$(stat_of "$dir/fuzzer_stats" execs_done)" \
      "$(stat_of "$dir/fuzzer_stats" execs_per_sec | cut -d. -f1)" "${map%\%}" \
      "$(($(date +%s) - ${updated:-$(date +%s)}))"
  else
    echo "- - - -"
  fi
}

count_files() { find "$work/out" -path "$1" 2>/dev/null | wc -l; }

# One line for the whole campaign: executions and exec/s summed over the
# instances (from their stats, once AFL++ writes them), the largest queue
# and map coverage (the instances sync, so the best is the campaign's), and
# the crashes and hangs saved so far (counted in the sync directory, live).
print_progress() {
  local name execs rate map age t_execs=0 t_rate=0 known=0 best_map=0 corpus=0
  local queue oldest=0
  for name in "${instances[@]}"; do
    read -r execs rate map age < <(instance_speed "$name")
    queue=$(count_files "$work/out/$name/queue/id:*")
    ((queue > corpus)) && corpus=$queue
    [[ $execs != - ]] || continue
    known=$((known + 1))
    ((age > oldest)) && oldest=$age
    t_execs=$((t_execs + execs)) t_rate=$((t_rate + rate))
    best_map=$(awk -v a="$best_map" -v b="$map" 'BEGIN { print (b > a ? b : a) }')
  done
  local speed="execs n/a before AFL++'s first stats (60 s)"
  ((known == 0)) || speed="execs $t_execs (${t_rate}/s, $known of ${#instances[@]} reporting) map ${best_map}%"
  ((oldest <= 10)) || speed+=" (stats ${oldest}s old)"
  log "[$(printf '%4d' "$1")s] ${#instances[@]} instance(s): $speed," \
    "corpus $corpus, crashes $(count_files "$work/out/*/crashes/id:*")," \
    "hangs $(count_files "$work/out/*/hangs/id:*")"
}

stat_of() {
  sed -n "s/^$2 *: *//p" "$1" | head -1
}

print_summary() {
  local name stats execs rate corpus crashes hangs
  local format='%-8s %12s %10s %8s %8s %8s %10s %8s\n'
  total_crashes=0 total_execs=0
  local total_rate=0 seconds_run=0
  echo
  # shellcheck disable=SC2059  # one format for every row
  printf "$format" instance execs_done execs/sec corpus crashes hangs \
    bitmap edges
  for name in "${instances[@]}"; do
    stats=$work/out/$name/fuzzer_stats
    if [[ ! -f $stats ]]; then
      log "$name wrote no fuzzer_stats; last lines of $work/$name.log:"
      tail -15 "$work/$name.log"
      continue
    fi
    execs=$(stat_of "$stats" execs_done)
    rate=$(stat_of "$stats" execs_per_sec)
    crashes=$(stat_of "$stats" saved_crashes)
    hangs=$(stat_of "$stats" saved_hangs)
    # shellcheck disable=SC2059
    printf "$format" "$name" "$execs" "$rate" \
      "$(stat_of "$stats" corpus_count)" "$crashes" "$hangs" \
      "$(stat_of "$stats" bitmap_cvg)" "$(stat_of "$stats" edges_found)"
    total_execs=$((total_execs + execs))
    total_crashes=$((total_crashes + crashes + hangs))
    total_rate=$(awk -v a="$total_rate" -v b="$rate" 'BEGIN { print a + b }')
    seconds_run=$(stat_of "$stats" run_time)
  done
  # shellcheck disable=SC2059
  printf "$format" total "$total_execs" "$total_rate" "" "$total_crashes" "" "" ""
  echo "(corpus and bitmap per instance: they sync, so the best is the campaign's;"
  echo " crashes in the total row: crashes and hangs of all instances; ${seconds_run:-?} s each)"
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
