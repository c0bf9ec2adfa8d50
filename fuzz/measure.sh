#!/usr/bin/env bash
# Measures exec/s of every fuzz target under libFuzzer, for fuzz/README.md.
#
#   fuzz/measure.sh BUILT_FUZZ_DIR [SECONDS]      (default 10 s per target)
#
# BUILT_FUZZ_DIR holds the fuzzer binaries and seeds/<target>/ (e.g.
# build/libfuzzer/fuzz), or is an OSS-Fuzz $OUT with <target>_seed_corpus.zip.
# Each target runs alone, single process, from its seeds into a fresh corpus
# for SECONDS; the table shows libFuzzer's final stats.
set -euo pipefail

fuzz_dir=${1:?usage: fuzz/measure.sh BUILT_FUZZ_DIR [SECONDS]}
seconds=${2:-10}
targets=(controlled_fuzzer serial_fuzzer stress_fuzzer codec_fuzzer
  checker_fuzzer fast_path_fuzzer)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

seed_dir_of() {
  local target=$1
  if [[ -d $fuzz_dir/seeds/$target ]]; then
    echo "$fuzz_dir/seeds/$target"
  elif [[ -f $fuzz_dir/${target}_seed_corpus.zip ]]; then
    mkdir -p "$scratch/seeds/$target"
    unzip -q -o "$fuzz_dir/${target}_seed_corpus.zip" -d "$scratch/seeds/$target"
    echo "$scratch/seeds/$target"
  else
    echo "measure.sh: no seeds for $target in $fuzz_dir" >&2
    exit 1
  fi
}

printf '%-18s %12s %8s\n' target executions exec/s
for target in "${targets[@]}"; do
  seeds=$(seed_dir_of "$target")
  mkdir -p "$scratch/corpus/$target"
  "$fuzz_dir/$target" -max_total_time="$seconds" -seed=1 -print_final_stats=1 \
    -max_len=5137 -dict="$fuzz_dir/$target.dict" \
    -artifact_prefix="$scratch/" "$scratch/corpus/$target" "$seeds" \
    >"$scratch/$target.log" 2>&1 ||
    { echo "measure.sh: $target failed; see below" >&2; tail -20 "$scratch/$target.log" >&2; exit 1; }
  printf '%-18s %12s %8s\n' "$target" \
    "$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$target.log")" \
    "$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$target.log")"
done
