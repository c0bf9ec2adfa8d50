#!/usr/bin/env bash
# opcost.sh: per-operation instruction, load and store counts of the maps,
# from callgrind (hardware counters are unavailable on these VMs).
#
#   bash map/bench/opcost.sh BUILD_DIR [MAPS] [VALUES] [OPS]
#   e.g. bash map/bench/opcost.sh build/mapbench "tophash absl" v32 find_hit
#
# Runs BUILD_DIR/map/bench/map_opcost under `valgrind --tool=callgrind
# --cache-sim=yes --branch-sim=yes`, collecting only inside the measured loop,
# and prints a Markdown table: instructions (Ir), data reads (Dr), data
# writes (Dw), simulated L1d misses and simulated branch mispredictions
# (conditional and indirect) per operation, loop included (the "empty" row is
# the loop alone).
set -euo pipefail
build=${1:?usage: opcost.sh BUILD_DIR [MAPS] [VALUES] [OPS]}
maps=${2:-"tophash absl tbb cuckoo"}
values=${3:-"v8 v32"}
ops=${4:-"find_hit find_miss insert assign erase"}
n=${N:-100000}
bin=$build/map/bench/map_opcost
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

measure() {  # map value op -> "Ir Dr Dw D1mr+D1mw Bcm+Bim" per op
  valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes \
    --toggle-collect='*opcost_measured*' \
    --callgrind-out-file="$tmp/out" "$bin" "$1" "$2" "$3" "$n" \
    >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  awk -v n="$n" '
    /^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
    /^(summary|totals):/ {
      printf "%.1f %.1f %.1f %.2f %.2f\n", $col["Ir"]/n, $col["Dr"]/n,
        $col["Dw"]/n, ($col["D1mr"] + $col["D1mw"])/n,
        ($col["Bcm"] + $col["Bim"])/n
      exit }' "$tmp/out"
}

echo "| map | value | op | instructions | loads | stores | L1d misses |" \
  "mispredicts |"
echo "|---|---|---|---|---|---|---|---|"
read -r ir dr dw miss bm <<<"$(measure tophash v8 empty)"
echo "| (loop alone) | | empty | $ir | $dr | $dw | $miss | $bm |"
for op in $ops; do
  for value in $values; do
    for map in $maps; do
      read -r ir dr dw miss bm <<<"$(measure "$map" "$value" "$op")"
      echo "| $map | $value | $op | $ir | $dr | $dw | $miss | $bm |"
    done
  done
done
