#!/usr/bin/env python3
"""Turns map_bench's JSON output into the Markdown tables of map/README.md.

Usage: map_bench --benchmark_out=run.json --benchmark_out_format=json ...
       python3 map/bench/results_table.py run.json
Uses the median of the repetitions; ratios are against absl+mutex at the same
workload and thread count (pure find: against unlocked absl).
"""
import json
import re
import sys

NAMES = {
    "Tophash": "tophash::Map",
    "TophashFlat": "tophash::Map, flattened",
    "AbslUnlocked": "absl::flat_hash_map, no lock",
    "AbslMutex": "absl::flat_hash_map + absl::Mutex",
    "ShardedSharedMutex": "64 x flat_hash_map + shared_mutex",
    "TbbMap": "tbb::concurrent_hash_map",
    "CuckooMap": "libcuckoo::cuckoohash_map",
    "TophashCountingFlat": "tophash::Map, CountingPolicy, flattened",
}


def medians(path):
    """Maps (benchmark, map, threads) to (median items/s, cv of items/s)."""
    rates, cvs = {}, {}
    for run in json.load(open(path))["benchmarks"]:
        aggregate = run.get("aggregate_name", "median")
        if aggregate not in ("median", "cv"):
            continue
        match = re.match(r"BM_(\w+?)(?:<(\w+)>|_(\w+))/real_time(?:/threads:(\d+))?",
                         run["run_name"])
        if not match:
            continue
        bench, map_name = match.group(1), match.group(2) or match.group(3)
        threads = int(match.group(4) or 1)
        table = rates if aggregate == "median" else cvs
        table[(bench, map_name, threads)] = run["items_per_second"]
    return {key: (rate, cvs.get(key, 0.0)) for key, rate in rates.items()}


def main():
    rates = medians(sys.argv[1])
    print("| workload | threads | map | Mops/s | cv | vs absl+mutex |")
    print("|---|---|---|---|---|---|")
    for bench in ("ReadMostly", "Mixed"):
        for threads in (1, 2):
            base = rates[(bench, "AbslMutex", threads)][0]
            for (b, map_name, t), (rate, cv) in rates.items():
                if b != bench or t != threads:
                    continue
                print(f"| {bench} | {threads} | {NAMES.get(map_name, map_name)} "
                      f"| {rate / 1e6:.1f} | {cv:.0%} | {rate / base:.2f}x |")
    print()
    print("| pure find, 1 thread | Mops/s | cv | vs unlocked absl |")
    print("|---|---|---|---|")
    base = rates[("PureFind", "AbslUnlocked", 1)][0]
    for (b, map_name, t), (rate, cv) in rates.items():
        if b == "PureFind":
            print(f"| {NAMES.get(map_name, map_name)} | {rate / 1e6:.1f} "
                  f"| {cv:.0%} | {rate / base:.2f}x |")


if __name__ == "__main__":
    main()
