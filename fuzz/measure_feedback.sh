#!/usr/bin/env bash
# Measures what concurrency feedback buys libFuzzer: time and executions to
# the first violation of injected faults, feedback on vs off, from an empty
# corpus. Results: fuzz/README.md, "Concurrency feedback".
#
#   fuzz/measure_feedback.sh BUILT_FUZZ_DIR [--runs N] [--limit S]
#                            [--faults FAULT[@GRANULARITY],...] [--out DIR]
#                            [--seeds DIR] [--on MODE] [-- LIBFUZZER_FLAG...]
#
# BUILT_FUZZ_DIR holds controlled_fuzzer and controlled_fuzzer.dict (e.g.
# build/libfuzzer/fuzz). For every fault and every k = 1..N (default 5) it
# runs two fuzzers side by side, -concurrency_feedback=on and =off, both with
# -seed=k, the target's dictionary, an empty corpus directory and no seeds,
# for at most S seconds (default 30), stopping at the first violation.
# GRANULARITY (coarse, fine, weak, all; default all) is the target's
# -granularity=: window faults only open at fine or weak granularity.
#
# Prints one TSV row per run, then a summary per fault and configuration:
# runs that found a violation, and the median inputs and seconds to it. A
# run that found nothing counts as slower than any that did (so "miss" when
# more than half missed). Inputs to the first violation are the primary
# measure, since they do not depend on the machine's load; seconds include
# the recording's cost. DIR (default: a temporary directory, removed) keeps
# every run's log and the TSV. For experiments: --seeds DIR starts every
# run from those seeds instead of nothing (e.g.
# build/libfuzzer/fuzz/seeds/controlled_fuzzer), and flags after `--` go to
# every run (e.g. -len_control=0); --on MODE runs -concurrency_feedback=MODE
# (e.g. reads_from) instead of on against off.
set -euo pipefail

readonly USAGE="usage: measure_feedback.sh BUILT_FUZZ_DIR [--runs N] [--limit S] [--faults FAULT[@GRANULARITY],...] [--out DIR] [--seeds DIR] [--on MODE] [-- LIBFUZZER_FLAG...]"
die() {
  echo "measure_feedback.sh: error: $*" >&2
  echo "measure_feedback.sh: $USAGE" >&2
  exit 2
}

# Faults the serial executor catches (docs/kill-table.md): one thread's
# operations are enough. The others need an interleaving.
readonly SEQUENTIAL=" ignore_old_buckets_while_growing evacuate_drops_overflow tophash_match_is_key_match erase_marks_empty_rest_early size_miscounts_replace erase_miss_leaves_write_open "
readonly DEFAULT_FAULTS="relaxed_tophash_publish@weak,skip_read_validation@coarse,reclaim_without_grace@coarse,value_update_without_version@coarse,erase_miss_leaves_write_open,size_miscounts_replace"

[[ $# -ge 1 ]] || die "no BUILT_FUZZ_DIR"
fuzz_dir=$1
shift
runs=5 limit=30 faults=$DEFAULT_FAULTS out="" seeds=() extra=() on_mode=on
while [[ $# -gt 0 ]]; do
  if [[ $1 == -- ]]; then
    shift
    extra=("$@")
    break
  fi
  [[ $# -ge 2 ]] || die "$1 needs a value"
  case $1 in
    --runs) runs=$2 ;;
    --limit) limit=$2 ;;
    --faults) faults=$2 ;;
    --out) out=$2 ;;
    --seeds) seeds=("$2") ;;
    --on) on_mode=$2 ;;
    *) die "unknown argument '$1'" ;;
  esac
  shift 2
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "--limit must be a positive number of seconds, not '$limit'"
fuzzer=$fuzz_dir/controlled_fuzzer
[[ -x $fuzzer ]] || die "no executable $fuzzer (build the libfuzzer preset)"
[[ -f $fuzzer.dict ]] || die "no $fuzzer.dict"
[[ ${#seeds[@]} -eq 0 || -d ${seeds[0]} ]] || die "no seed directory ${seeds[0]}"
if [[ -z $out ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
unset THFUZZ_FAULT THFUZZ_MAP THFUZZ_GRANULARITY THFUZZ_CONCURRENCY_FEEDBACK

# One libFuzzer run; its log is $dir/log.
run_one() {
  local fault=$1 granularity=$2 config=$3 seed=$4 dir=$5
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  "$fuzzer" -fault="$fault" -granularity="$granularity" \
    -concurrency_feedback="$config" -seed="$seed" -max_total_time="$limit" \
    -max_len=5137 -dict="$fuzzer.dict" -print_final_stats=1 \
    -artifact_prefix="$dir/" "${extra[@]}" "$dir/corpus" "${seeds[@]}" \
    >"$dir/log" 2>&1 || true
}

# fault granularity class config seed found kind inputs seconds exec/s ft corpus
row_of() {
  local fault=$1 granularity=$2 config=$3 seed=$4 log=$5/log
  local class=concurrent found=0 kind=- inputs seconds execs ft corp
  [[ $SEQUENTIAL == *" $fault "* ]] && class=sequential
  if grep -q '^==thfuzz== VIOLATION' "$log"; then
    found=1
    kind=$(sed -n 's/^==thfuzz== VIOLATION \([a-z_]*\).*/\1/p' "$log" | head -1)
    read -r inputs seconds < <(sed -n \
      's/^==thfuzz== first violation after \([0-9]*\) inputs, \([0-9.]*\) s$/\1 \2/p' \
      "$log" | head -1)
  else
    inputs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    seconds=$limit
  fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  # The last status line: "#N ... ft: F corp: C/..."
  ft=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fault" \
    "$granularity" "$class" "$config" "$seed" "$found" "$kind" \
    "${inputs:--}" "${seconds:--}" "${execs:--}" "${ft:--}" "${corp:--}"
}

tsv=$out/runs.tsv
printf 'fault\tgranularity\tclass\tconfig\tseed\tfound\tkind\tinputs\tseconds\texec_s\tft\tcorpus\n' >"$tsv"
IFS=, read -r -a specs <<<"$faults"
for spec in "${specs[@]}"; do
  fault=${spec%@*} granularity=all
  [[ $spec == *@* ]] && granularity=${spec#*@}
  for ((k = 1; k <= runs; ++k)); do
    for config in "$on_mode" off; do
      run_one "$fault" "$granularity" "$config" "$k" "$out/$fault/$config-$k" &
    done
    wait
    for config in "$on_mode" off; do
      row_of "$fault" "$granularity" "$config" "$k" "$out/$fault/$config-$k" |
        tee -a "$tsv"
    done
  done
done

echo
start="empty corpus"
[[ ${#seeds[@]} -eq 0 ]] || start="seeds ${seeds[0]}"
echo "summary: -concurrency_feedback=$on_mode (on) vs off, $runs paired runs per fault, ${limit} s limit, $start${extra[*]:+, flags ${extra[*]}}; medians over all runs, a miss slower than any find"
# Medians per fault and config: a miss counts as 1e18, slower than any find;
# off/on is the ratio of the median inputs.
awk -F'\t' '
  NR == 1 { next }
  {
    key = $1 "@" $2 "\t" $3; keys[key] = 1
    if ($4 != "off") $4 = "on"
    n[key, $4]++; found[key, $4] += $6
    inputs[key, $4, n[key, $4]] = $6 ? $8 : miss
    seconds[key, $4, n[key, $4]] = $6 ? $9 : miss
  }
  BEGIN { miss = 1e18 }
  function median(array, key, config, count,   v, i, j, t) {
    for (i = 1; i <= count; ++i) v[i] = array[key, config, i] + 0
    for (i = 2; i <= count; ++i)
      for (j = i; j > 1 && v[j] < v[j - 1]; --j) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return v[int((count + 1) / 2)]
  }
  function show(value) { return value >= miss ? "miss" : value }
  END {
    printf "%-40s %-10s %7s %7s %9s %9s %8s %8s %6s\n", "fault@granularity", "class",
      "on", "off", "inputs:on", "off", "s:on", "off", "off/on"
    for (key in keys) {
      split(key, part, "\t")
      mi_on = median(inputs, key, "on", n[key, "on"]); mi_off = median(inputs, key, "off", n[key, "off"])
      ms_on = median(seconds, key, "on", n[key, "on"]); ms_off = median(seconds, key, "off", n[key, "off"])
      if (mi_on < miss && mi_off < miss) ratio = sprintf("%.2f", mi_off / (mi_on > 0 ? mi_on : 1))
      else ratio = mi_on < miss ? ">" : (mi_off < miss ? "<" : "-")
      printf "%-40s %-10s %3d/%-3d %3d/%-3d %9s %9s %8s %8s %6s\n", part[1], part[2],
        found[key, "on"], n[key, "on"], found[key, "off"], n[key, "off"],
        show(mi_on), show(mi_off), show(ms_on), show(ms_off), ratio
    }
  }' "$tsv" | { read -r header; echo "$header"; sort; }
echo "raw rows: $tsv"
