#!/usr/bin/env bash
# The main fuzzing job: a time-boxed libFuzzer campaign against the
# production tophash map.
#
#   ci/fuzz.sh [SECONDS] [TARGET...]     (default: 60 seconds, all targets)
#
# It installs packages (ci/setup.sh), builds the `libfuzzer` preset's fuzz
# targets, then runs the targets for SECONDS of wall time in total, `nproc`
# at a time (each in its own process, waves of equal slices), and prints a
# summary per target: executions, exec/s, coverage, violations and where
# inputs and crash files were saved.
#
# Corpora live in build/libfuzzer/fuzz-work/<target>/corpus and grow from run
# to run; the seeds (built from corpus/seeds/<target>/*.sched) are read, never
# written. Nothing under corpus/ in git is touched, except by the minimizer
# (tophash-fuzz minimize), which is called on each finding when it is built.
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
  exit 2
}

parse_args() {
  seconds=60
  if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
  fi
  targets=("$@")
  if [[ ${#targets[@]} -eq 0 ]]; then targets=("${ALL_TARGETS[@]}"); fi
  for target in "${targets[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $target "* ]] ||
      die "unknown target '$target' (targets: ${ALL_TARGETS[*]})"
  done
  ((seconds > 0)) || die "SECONDS must be positive, got '$seconds'"
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
  local flags
  mapfile -t flags < <(options_flags "$target")
  (cd "$work" && exec "$fuzz_dir/$target" "${flags[@]}" \
    -max_total_time="$slice" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$fuzz_dir/seeds/$target" >"$work/fuzz.log" 2>&1) &
  pids[$target]=$!
}

# The latest libFuzzer status line of a running target.
status_line() {
  grep -aE '^#[0-9]+' "$work_root/$1/fuzz.log" 2>/dev/null | tail -1 |
    sed -E 's/^(#[0-9]+)[[:space:]]+[A-Z]+[[:space:]]+/\1 /; s/ (lim|rss|L|MS):.*//'
}

wait_for_wave() {
  local wave=("$@")
  local running=${#wave[@]}
  while ((running > 0)); do
    sleep 5
    running=0
    for target in "${wave[@]}"; do
      if kill -0 "${pids[$target]}" 2>/dev/null; then
        running=$((running + 1))
        log "  $target: $(status_line "$target")"
      fi
    done
  done
  for target in "${wave[@]}"; do
    wait "${pids[$target]}" || exit_codes[$target]=$?
  done
}

run_campaign() {
  local cores waves slice
  cores=$(nproc)
  waves=$(((${#targets[@]} + cores - 1) / cores))
  slice=$((seconds / waves))
  ((slice > 0)) || slice=1
  log "fuzzing ${#targets[@]} targets for ${seconds}s on $cores cores:" \
    "$waves wave(s) of ${slice}s, map tophash, fault ${THFUZZ_FAULT:-none}"
  touch "$work_root/.run-start"
  local i
  for ((i = 0; i < ${#targets[@]}; i += cores)); do
    local wave=("${targets[@]:i:cores}")
    log "wave $((i / cores + 1))/$waves: ${wave[*]}"
    for target in "${wave[@]}"; do start_target "$target" "$slice"; done
    wait_for_wave "${wave[@]}"
  done
}

final_stat() {
  grep -aE "^stat::$2:" "$work_root/$1/fuzz.log" | tail -1 | awk '{print $2}'
}

coverage() {
  grep -aoE 'cov: [0-9]+ ft: [0-9]+' "$work_root/$1/fuzz.log" | tail -1 |
    awk '{print $2 "/" $4}'
}

new_findings() {
  find "$work_root/$1/artifacts" -type f -newer "$work_root/.run-start" \
    \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \)
}

print_summary() {
  echo
  printf '%-18s %12s %8s %14s %10s  %s\n' target executions exec/s \
    cov/ft violations "corpus (inputs) | artifacts (crashes)"
  for target in "${targets[@]}"; do
    local work=$work_root/$target
    printf '%-18s %12s %8s %14s %10s  %s\n' "$target" \
      "$(final_stat "$target" number_of_executed_units)" \
      "$(final_stat "$target" average_exec_per_sec)" \
      "$(coverage "$target")" "$(new_findings "$target" | wc -l)" \
      "$work/corpus | $work/artifacts"
  done
  echo
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
  declare -gA pids=() exit_codes=()
  run_campaign
  print_summary
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
