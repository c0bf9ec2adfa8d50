#!/usr/bin/env bash
# The main fuzzing job: a time-boxed libFuzzer campaign against the
# production tophash map.
#
#   ci/fuzz.sh [--jobs N] [SECONDS] [TARGET...]   (default: 1 job, 60 s, all targets)
#
# It installs packages (ci/setup.sh), builds the `libfuzzer` preset's fuzz
# targets, then runs the targets for SECONDS of wall time in total, in waves
# of equal slices that fit the machine's cores (`nproc`), prints a combined
# progress line every 5 seconds and a summary: per target executions,
# exec/s, coverage (cov/ft), corpus size and findings, and how to replay
# each finding. The summary and the campaign's progress over time are also
# drawn into build/libfuzzer/fuzz-work/campaign.html (tophash-fuzz
# plot-campaign on the fuzz.log files; its path is printed).
#
# --jobs N (default 1): each target runs in libFuzzer's fork mode, -fork=N:
# one parent that does not fuzz itself, N child processes on small random
# subsets of the corpus, each child's new inputs merged into the target's
# corpus as it ends (children run 1 s, 2 s, 3 s, ...; a target may overrun
# its slice by the length of its last jobs, and only finished jobs'
# executions are counted). Waves then hold nproc/N targets. Fork mode pays
# a process start and a merge per job, so it is for long slices: minutes per
# target, not seconds.
# With --jobs 1 each target is one ordinary libFuzzer process. Either way a
# target stops at its first crash.
#
# Corpora live in build/libfuzzer/fuzz-work/<target>/corpus and grow from run
# to run; after each run the corpus is minimized with libFuzzer's -merge=1
# (only inputs that add coverage are kept), so the next run starts from a
# small corpus. The seeds (built from corpus/seeds/<target>/*.sched) are
# read, never written. Nothing under corpus/ in git is touched, except by the
# minimizer (tophash-fuzz minimize), which is called on each finding when it
# is built.
#
# Exit status: 0 when no target found a violation, 1 when one did (on the
# production map that is a real bug: replay and minimize it as printed), 2 on
# bad usage or a failed build.
#
# Environment: THFUZZ_FAULT=<fault> runs the campaign against a faulty map
# instead (for trying the harness; findings are then expected).
set -euo pipefail

readonly ALL_TARGETS=(controlled_fuzzer serial_fuzzer stress_fuzzer
  codec_fuzzer checker_fuzzer fast_path_fuzzer)
readonly PRESET=libfuzzer
readonly USAGE="usage: fuzz.sh [--jobs N] [SECONDS] [TARGET...]"
readonly MAX_JOBS=64

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=ci/fuzz_targets.sh
source "$repo_root/ci/fuzz_targets.sh"
build_dir=$repo_root/build/$PRESET
fuzz_dir=$build_dir/fuzz
work_root=$build_dir/fuzz-work
cli=$build_dir/harness/cli/tophash-fuzz

log() { echo "fuzz.sh: $*"; }
die() {
  echo "fuzz.sh: error: $*" >&2
  echo "fuzz.sh: $USAGE" >&2
  exit 2
}

parse_args() {
  seconds='' jobs=1 targets=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --jobs)
        [[ $# -ge 2 ]] || die "--jobs needs a number of processes"
        jobs=$2
        shift 2
        ;;
      --jobs=*)
        jobs=${1#--jobs=}
        shift
        ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
      -*) die "unknown flag '$1'" ;;
      *)
        if [[ -z $seconds && ${#targets[@]} -eq 0 && $1 =~ ^[0-9]+$ ]]; then
          seconds=$1
        else
          targets+=("$1")
        fi
        shift
        ;;
    esac
  done
  seconds=${seconds:-60}
  [[ $jobs =~ ^[1-9][0-9]{0,2}$ ]] && ((jobs <= MAX_JOBS)) ||
    die "--jobs must be a whole number from 1 to $MAX_JOBS, got '$jobs'"
  [[ $seconds =~ ^0*[1-9][0-9]{0,8}$ ]] && ((10#$seconds <= 30 * 24 * 3600)) ||
    die "SECONDS must be a positive number of seconds, got '$seconds'"
  seconds=$((10#$seconds))
  if [[ ${#targets[@]} -eq 0 ]]; then targets=("${ALL_TARGETS[@]}"); fi
  for target in "${targets[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $target "* ]] ||
      die "unknown target '$target' (targets: ${ALL_TARGETS[*]})"
  done
}

build() {
  log "installing packages (ci/setup.sh)"
  "$repo_root/ci/setup.sh"
  log "configuring and building preset '$PRESET': ${targets[*]}"
  cd "$repo_root"
  cmake --preset "$PRESET" >/dev/null || die "cmake --preset $PRESET failed"
  cmake --build --preset "$PRESET" --target "${targets[@]}" -j2 ||
    die "building ${targets[*]} failed"
  # The minimizer and the replay commands come from the CLI; a missing CLI
  # only disables those steps.
  cmake --build --preset "$PRESET" --target tophash-fuzz -j2 >/dev/null 2>&1 ||
    log "note: the tophash-fuzz CLI did not build; findings will not be minimized"
}

# libFuzzer flags from fuzz/<target>.options ("key = value" under
# [libfuzzer]), so local runs and OSS-Fuzz use the same settings.
options_flags() {
  local options_file=$fuzz_dir/$1.options
  sed -n 's/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\(.*\)$/-\1=\2/p' \
    "$options_file" | sed "s|^-dict=|-dict=$fuzz_dir/|"
}

start_target() {
  local target=$1 slice=$2 work=$work_root/$1
  mkdir -p "$work/corpus" "$work/artifacts"
  local flags fork=()
  mapfile -t flags < <(options_flags "$target")
  ((jobs == 1)) || fork=(-fork="$jobs")
  started[$target]=$SECONDS
  corpus_before[$target]=$(corpus_size "$target")
  (cd "$work" && exec "$fuzz_dir/$target" "${fork[@]}" "${flags[@]}" \
    -max_total_time="$slice" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$fuzz_dir/seeds/$target" >"$work/fuzz.log" 2>&1) &
  pids[$target]=$!
}

corpus_size() {
  find "$work_root/$1/corpus" -maxdepth 1 -type f 2>/dev/null | wc -l
}

is_fork_log() { grep -aq '^INFO: -fork=' "$work_root/$1/fuzz.log" 2>/dev/null; }

# "EXECUTIONS COV FT CORPUS" from the target's latest libFuzzer status line
# ("-" for a field not printed yet). In fork mode only the parent's lines
# ("#N: cov: ...") count: a crashed child's log is copied in after them.
latest_status() {
  local pattern='^#[0-9]+[[:space:]:]'
  if is_fork_log "$1"; then pattern='^#[0-9]+:'; fi
  grep -aE "$pattern" "$work_root/$1/fuzz.log" 2>/dev/null | tail -1 |
    awk '{ n = substr($1, 2); sub(/:$/, "", n); c = f = p = "-"
           for (i = 2; i < NF; i++) {
             if ($i == "cov:") c = $(i + 1)
             if ($i == "ft:") f = $(i + 1)
             if ($i == "corp:") { split($(i + 1), a, "/"); p = a[1] } }
         } END { if (n == "") print "0 - - -"; else print n, c, f, p }'
}

# Executions of a target's run: libFuzzer's final count, or in fork mode
# (whose parent prints no final stats) the last status line's.
executions_of() {
  local final
  final=$(final_stat "$1" number_of_executed_units)
  if [[ -n $final ]] && ! is_fork_log "$1"; then
    echo "$final"
  else
    latest_status "$1" | awk '{print $1}'
  fi
}

# One line for every running target of the campaign, every 5 seconds.
print_progress() {
  local total=0 findings=0 target parts=() execs cov ft corp
  for target in "${targets[@]}"; do
    [[ -n ${started[$target]:-} ]] || continue
    read -r execs cov ft corp < <(latest_status "$target")
    total=$((total + execs))
    findings=$((findings + $(new_findings "$target" | wc -l)))
    if kill -0 "${pids[$target]}" 2>/dev/null; then
      parts+=("$target #$execs cov $cov ft $ft corp $corp")
    fi
  done
  local elapsed=$((SECONDS - campaign_start))
  local rate=$((elapsed > 0 ? total / elapsed : 0)) line part
  line="[$(printf '%4d' "$elapsed")s] execs $total (${rate}/s) findings $findings"
  for part in "${parts[@]}"; do line+=" | $part"; done
  log "$line"
}

# Polls every second (a wave ends as soon as its last target does) and
# prints the progress line every 5 seconds.
wait_for_wave() {
  local wave=("$@") target running=1 ticks=0
  while ((running > 0)); do
    sleep 1
    running=0
    for target in "${wave[@]}"; do
      if kill -0 "${pids[$target]}" 2>/dev/null; then running=$((running + 1)); fi
    done
    ticks=$((ticks + 1))
    if ((running > 0 && ticks % 5 == 0)); then print_progress; fi
  done
  for target in "${wave[@]}"; do
    wait "${pids[$target]}" || exit_codes[$target]=$?
    elapsed[$target]=$((SECONDS - started[$target]))
    merge_corpus "$target"
  done
}

# Minimizes the target's corpus with libFuzzer's -merge=1: the inputs that
# add coverage go to a fresh directory, which replaces the corpus. A merge
# that fails or takes over MERGE_SECONDS leaves the corpus as it was.
readonly MERGE_SECONDS=120
merge_corpus() {
  local target=$1 work=$work_root/$1 flags
  mapfile -t flags < <(options_flags "$target")
  rm -rf "$work/corpus.merged"
  mkdir -p "$work/corpus.merged"
  if (cd "$work" && timeout "$MERGE_SECONDS" "$fuzz_dir/$target" "${flags[@]}" \
    -merge=1 -merge_control_file="$work/merge.control" \
    "$work/corpus.merged" "$work/corpus" >"$work/merge.log" 2>&1); then
    rm -rf "$work/corpus.old"
    mv "$work/corpus" "$work/corpus.old"
    mv "$work/corpus.merged" "$work/corpus"
    rm -rf "$work/corpus.old" "$work/merge.control"
  else
    log "  $target: corpus merge failed (log: $work/merge.log); corpus kept as is"
    rm -rf "$work/corpus.merged"
  fi
  corpus_after[$target]=$(corpus_size "$target")
}

run_campaign() {
  local cores per_wave waves slice
  cores=$(nproc)
  per_wave=$((cores / jobs))
  ((per_wave > 0)) || per_wave=1
  waves=$(((${#targets[@]} + per_wave - 1) / per_wave))
  slice=$((seconds / waves))
  ((slice > 0)) || slice=1
  local mode="1 process each"
  ((jobs == 1)) || mode="-fork=$jobs each"
  log "fuzzing ${#targets[@]} targets for ${seconds}s on $cores cores ($mode):" \
    "$waves wave(s) of ${slice}s, map tophash, fault ${THFUZZ_FAULT:-none}"
  touch "$work_root/.run-start"
  campaign_start=$SECONDS
  local i
  for ((i = 0; i < ${#targets[@]}; i += per_wave)); do
    local wave=("${targets[@]:i:per_wave}")
    log "wave $((i / per_wave + 1))/$waves: ${wave[*]}"
    for target in "${wave[@]}"; do start_target "$target" "$slice"; done
    wait_for_wave "${wave[@]}"
  done
  campaign_seconds=$((SECONDS - campaign_start))
}

final_stat() {
  grep -aE "^stat::$2:" "$work_root/$1/fuzz.log" | tail -1 | awk '{print $2}'
}

new_findings() {
  find "$work_root/$1/artifacts" -type f -newer "$work_root/.run-start" \
    \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null
}

summary_row() { printf '%-18s %12s %8s %14s %13s %9s\n' "$@"; }

print_summary() {
  local target total=0 found=0
  echo
  summary_row target executions exec/s cov/ft corpus findings
  for target in "${targets[@]}"; do
    local execs cov ft rate findings
    execs=$(executions_of "$target")
    read -r _ cov ft _ < <(latest_status "$target")
    rate=$((elapsed[$target] > 0 ? execs / elapsed[$target] : 0))
    findings=$(new_findings "$target" | wc -l)
    total=$((total + execs))
    found=$((found + findings))
    summary_row "$target" "$execs" "$rate" "$cov/$ft" \
      "${corpus_before[$target]}->${corpus_after[$target]}" "$findings"
  done
  summary_row "total (${campaign_seconds}s)" "$total" \
    "$((campaign_seconds > 0 ? total / campaign_seconds : 0))" "" "" "$found"
  echo
  echo "corpus: inputs before the run -> after it and the -merge=1 that"
  echo "minimized it; exec/s: executions over the target's wall time"
  echo "(jobs: $jobs per target). Inputs and crash files: $work_root/TARGET/{corpus,artifacts}"
}

# Draws the campaign (tophash-fuzz plot-campaign on the targets' logs, the
# summary under the charts) and prints the page's path.
plot_campaign() {
  if [[ ! -x $cli ]]; then
    log "no campaign plot: $cli is not built"
    return
  fi
  local logs=() target line
  for target in "${targets[@]}"; do logs+=("$work_root/$target/fuzz.log"); done
  if line=$("$cli" plot-campaign --title "ci/fuzz.sh campaign (jobs $jobs)" \
    --summary "$work_root/summary.txt" --out "$work_root" "${logs[@]}" \
    2>"$work_root/plot.log"); then
    log "plot: ${line#campaign plot written to }"
  else
    log "the campaign plot failed: $(tail -1 "$work_root/plot.log")"
  fi
}

# Hook for the minimizer: each finding of a schedule target becomes a small
# .sched regression case in corpus/regressions (reviewed and committed by a
# person).
minimize_finding() {
  local target=$1 file=$2 executor
  executor=$(executor_of "$target")
  if [[ -z $executor ]]; then
    log "  ($target's inputs are not schedules: nothing to minimize)"
    return
  fi
  if [[ ! -x $cli ]]; then
    log "  minimizer not available ($cli not built): minimize by hand with"
    log "    tophash-fuzz minimize $file --out corpus/regressions"
    return
  fi
  # Findings on a faulty map are expected, not regressions of ours: they go
  # to the work directory instead of corpus/regressions.
  local fault_flag=() out_dir=$repo_root/corpus/regressions
  if [[ -n ${THFUZZ_FAULT:-} ]]; then
    fault_flag=(--fault "$THFUZZ_FAULT")
    out_dir=$work_root/$target/regressions
  fi
  log "  minimizing: $cli minimize $file --executor $executor ${fault_flag[*]}" \
    "--out $out_dir"
  "$cli" minimize "$file" --executor "$executor" "${fault_flag[@]}" \
    --out "$out_dir" ||
    log "  the minimizer failed (status $?); the crash file is kept as is"
}

# The replay commands of a finding, as the harness formats them everywhere
# (tophash-fuzz replay-command): the fuzz target itself, and for schedule
# targets `tophash-fuzz replay`.
print_replay_commands() {
  local target=$1 file=$2 executor=$3
  if [[ ! -x $cli ]]; then
    log "  replay: as printed in the report ($cli not built)"
    return
  fi
  local args=(replay-command "$file" --fuzzer "$fuzz_dir/$target")
  if [[ -n $executor ]]; then args+=(--executor "$executor"); fi
  if [[ -n ${THFUZZ_FAULT:-} ]]; then args+=(--fault "$THFUZZ_FAULT"); fi
  local line
  while IFS= read -r line; do log "  replay: $line"; done < <("$cli" "${args[@]}")
}

# Sets violations_found to the number of new crash files.
report_findings() {
  violations_found=0
  for target in "${targets[@]}"; do
    local file
    while IFS= read -r file; do
      [[ -n $file ]] || continue
      violations_found=$((violations_found + 1))
      local executor
      executor=$(executor_of "$target")
      log "VIOLATION found by $target: $file"
      grep -a '^==thfuzz== VIOLATION' "$work_root/$target/fuzz.log" | head -1 || true
      log "  full report: $work_root/$target/fuzz.log"
      print_replay_commands "$target" "$file" "$executor"
      minimize_finding "$target" "$file"
    done < <(new_findings "$target")
  done
}

main() {
  parse_args "$@"
  build
  mkdir -p "$work_root"
  declare -gA pids=() exit_codes=() started=() elapsed=() corpus_before=() \
    corpus_after=()
  run_campaign
  print_summary | tee "$work_root/summary.txt"
  plot_campaign
  report_findings
  if ((violations_found == 0)); then
    log "no violations in ${seconds}s"
    exit 0
  fi
  if [[ -n ${THFUZZ_FAULT:-} ]]; then
    log "(the map ran with fault $THFUZZ_FAULT, so findings were expected)"
  fi
  log "$violations_found violation(s) found; replay them as printed above"
  exit 1
}

main "$@"
