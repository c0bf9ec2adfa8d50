#!/usr/bin/env bash
# Executions per second of controlled_fuzzer next to `tophash-fuzz run`, and
# time to find injected faults, for one or more libFuzzer builds
# (fuzz/README.md, "Executions per second").
#
#   fuzz/measure_speed.sh exec [--rounds N] [--seconds S] BUILD_DIR...
#   fuzz/measure_speed.sh find [--seeds K] [--limit S] BUILD_DIR... -- FAULT...
#
# BUILD_DIR is a configured libFuzzer build (e.g. build/libfuzzer) with
# fuzz/controlled_fuzzer and harness/cli/tophash-fuzz built.
#
# exec: N rounds (default 3) of S seconds (default 20); each round runs,
#   one after the other, controlled_fuzzer (from the seeds, fresh corpus,
#   -seed=ROUND, the .options max_len and dict) and `tophash-fuzz run --jobs 1
#   --seed ROUND`, for every build in turn, so load changes hit all of them
#   alike. Prints every round, then per build the medians and their ratio
#   fuzzer/run, and the load average before and after.
# find: for every fault and seed 1..K (default 5), controlled_fuzzer with
#   -fault=FAULT from the seeds until its first crash or S seconds (default
#   30), builds alternating; prints per build and fault how many runs found
#   it and the median executions and seconds to the crash (a miss counts as
#   slower than any find, so a median over half misses is "> limit").
# Both run single processes at normal priority: run them on an idle machine,
# or compare only numbers from one invocation.
set -euo pipefail

usage() {
  sed -n 's/^#   \(fuzz\/measure_speed.sh .*\)/usage: \1/p' "$0" >&2
  exit 2
}

mode=${1:-}
[[ $mode == exec || $mode == find ]] || usage
shift
rounds=3 seconds=20 seeds=5 limit=30
builds=() faults=()
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --) shift; faults=("$@"); break ;;
    -*) usage ;;
    *) builds+=("$1"); shift ;;
  esac
done
((${#builds[@]})) || usage
[[ $mode == exec || ${#faults[@]} -gt 0 ]] || usage
for build in "${builds[@]}"; do
  for binary in fuzz/controlled_fuzzer harness/cli/tophash-fuzz; do
    [[ -x $build/$binary ]] ||
      { echo "measure_speed.sh: $build/$binary is not built" >&2; exit 2; }
  done
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# max_len from controlled_fuzzer.options, so the runs match ci/fuzz.sh.
max_len=$(sed -n 's/^max_len *= *//p' "${builds[0]}/fuzz/controlled_fuzzer.options")

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# fuzz BUILD SEED SECONDS [FLAGS...]: one controlled_fuzzer run from the
# seeds into a fresh corpus; its log is $scratch/log.
fuzz() {
  local build=$1 seed=$2 time=$3
  shift 3
  rm -rf "$scratch/corpus" "$scratch/artifacts"
  mkdir -p "$scratch/corpus" "$scratch/artifacts"
  "$build/fuzz/controlled_fuzzer" -seed="$seed" -max_total_time="$time" \
    -print_final_stats=1 -max_len="$max_len" \
    -dict="$build/fuzz/controlled_fuzzer.dict" \
    -artifact_prefix="$scratch/artifacts/" "$@" \
    "$scratch/corpus" "$build/fuzz/seeds/controlled_fuzzer" >"$scratch/log" 2>&1 || true
}

stat_of() { sed -n "s/^stat::$1: *//p" "$scratch/log"; }

measure_exec() {
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-5s %-40s %10s %10s\n' round build fuzzer/s run/s
  for ((round = 1; round <= rounds; ++round)); do
    for i in "${!builds[@]}"; do
      local build=${builds[i]}
      fuzz "$build" "$round" "$seconds"
      local fuzzer_rate
      fuzzer_rate=$(stat_of average_exec_per_sec)
      [[ -n $fuzzer_rate ]] ||
        { echo "measure_speed.sh: controlled_fuzzer failed:" >&2; tail "$scratch/log" >&2; exit 1; }
      local run_rate
      run_rate=$("$build/harness/cli/tophash-fuzz" run --jobs 1 --seed "$round" \
        --seconds "$seconds" --no-minimize --out "$scratch/findings" |
        sed -n 's/^ *executions *[0-9]* (\([0-9]*\)\/s)$/\1/p')
      printf '%-5s %-40s %10s %10s\n' "$round" "$build" "$fuzzer_rate" "$run_rate"
      echo "$fuzzer_rate" >>"$scratch/fuzzer.$i"
      echo "$run_rate" >>"$scratch/run.$i"
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '\n%-40s %14s %14s %8s\n' build 'fuzzer median' 'run median' ratio
  for i in "${!builds[@]}"; do
    local f r
    f=$(median <"$scratch/fuzzer.$i")
    r=$(median <"$scratch/run.$i")
    printf '%-40s %14s %14s %8.2f\n' "${builds[i]}" "$f" "$r" "$(awk -v f="$f" -v r="$r" 'BEGIN {print f / r}')"
  done
}

measure_find() {
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for fault in "${faults[@]}"; do
    for ((seed = 1; seed <= seeds; ++seed)); do
      for i in "${!builds[@]}"; do
        local start end execs=inf secs=inf
        start=$(date +%s.%N)
        fuzz "${builds[i]}" "$seed" "$limit" -fault="$fault"
        end=$(date +%s.%N)
        if compgen -G "$scratch/artifacts/crash-*" >/dev/null; then
          execs=$(stat_of number_of_executed_units)
          secs=$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')
        fi
        echo "$execs $secs" >>"$scratch/find.$i.$fault"
      done
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '\n%-34s %-40s %6s %12s %10s\n' fault build found 'med. execs' 'med. s'
  for fault in "${faults[@]}"; do
    for i in "${!builds[@]}"; do
      local file=$scratch/find.$i.$fault found execs secs
      found=$(grep -vc '^inf' "$file" || true)
      execs=$(cut -d' ' -f1 "$file" | median)
      secs=$(cut -d' ' -f2 "$file" | median)
      [[ $secs == inf ]] && secs="> $limit"
      printf '%-34s %-40s %3s/%-2s %12s %10s\n' "$fault" "${builds[i]}" \
        "$found" "$seeds" "$execs" "$(printf '%.2f' "$secs" 2>/dev/null || echo "$secs")"
    done
  done
}

"measure_$mode"
