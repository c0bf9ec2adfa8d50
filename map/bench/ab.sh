#!/usr/bin/env bash
# ab.sh: paired A/B throughput of the working tree's tophash map against the
# map at git revision REV (and the peers), with map_ab.cc.
#
#   bash map/bench/ab.sh REV [SECONDS] [MAPS]
#   e.g. bash map/bench/ab.sh HEAD~1 2 base,new,tbb
#
# Snapshots REV's map/include into a temporary directory with the namespace
# renamed to tophash_base (so both versions link into one program), builds
# map_ab with g++ -O3 against both, and runs every workload, value size and
# thread count (1, 2) in its own session (normal priority). Unlocked absl is
# left out of the 2-thread runs that write. Prints one line per case.
set -euo pipefail
rev=${1:?usage: ab.sh REV [SECONDS] [MAPS]}
seconds=${2:-2}
maps=${3:-base,new,tbb,cuckoo}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/src"
git -C "$root" archive "$rev" map/include | tar -x -C "$tmp/src"
mkdir -p "$tmp/include"
mv "$tmp/src/map/include/tophash" "$tmp/include/tophash_base"
find "$tmp/include" -type f -exec sed -i \
  -e 's/tophash::/tophash_base::/g' \
  -e 's/namespace tophash\b/namespace tophash_base/g' \
  -e 's#"tophash/#"tophash_base/#g' \
  -e 's/TOPHASH_/TOPHASH_BASE_/g' {} +

g++ -O3 -DNDEBUG -std=c++20 -pthread -I"$root/map/include" \
  -I"$root/map/bench" -I"$tmp/include" "$root/map/bench/map_ab.cc" \
  -o "$tmp/map_ab" -ltbb -labsl_hash -labsl_city -labsl_low_level_hash \
  -labsl_raw_hash_set -labsl_synchronization -labsl_time -labsl_base \
  -labsl_spinlock_wait -labsl_malloc_internal -labsl_stacktrace \
  -labsl_symbolize -labsl_int128 -labsl_raw_logging_internal \
  -labsl_graphcycles_internal

echo "# $(uptime)"
for workload in PureFind ReadMostly Mixed WriteHeavy; do
  for value in v8 v32; do
    for threads in 1 2; do
      run_maps=$maps
      if [[ $threads -gt 1 && $workload != PureFind ]]; then
        run_maps=${run_maps//absl/}
      fi
      printf '%-10s %-3s %dT  ' "$workload" "$value" "$threads"
      setsid -w "$tmp/map_ab" "$workload" "$value" "$threads" "$seconds" \
        "$run_maps"
    done
  done
done
echo "# $(uptime)"
