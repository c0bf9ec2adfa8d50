#!/usr/bin/env python3
"""Turns map_bench's JSON output into the Markdown tables of map/README.md.

Usage: map_bench --benchmark_out=run.json --benchmark_out_format=json ...
       python3 map/bench/results_table.py run.json
Uses the median of the repetitions (a single run if there was one). Prints
one throughput table per workload (Mops/s, the cv over repetitions in
parentheses when above 2%), the goals table (tophash against the better of
TBB and libcuckoo, and pure find against unlocked absl) and the memory table.
"""
import json
import re
import sys

NAMES = {
    "tophash": "tophash::Map",
    "tophash_flat": "tophash::Map, flattened",
    "tophash_counting_flat": "tophash::Map, CountingPolicy, flattened",
    "absl": "absl::flat_hash_map, no lock",
    "absl_mutex": "absl::flat_hash_map + absl::Mutex",
    "sharded": "64 x flat_hash_map + shared_mutex",
    "tbb": "tbb::concurrent_hash_map",
    "cuckoo": "libcuckoo::cuckoohash_map",
}
ORDER = list(NAMES)
WORKLOADS = ("ReadMostly", "Mixed", "WriteHeavy", "PureFind")
VALUES = ("v8", "v32")
THREADS = (1, 2)


def load(path):
    """Returns ({(workload, value, map, threads): (median, cv)},
    {(value, map): (bytes, heap bytes)})."""
    rates, cvs, memory = {}, {}, {}
    for run in json.load(open(path))["benchmarks"]:
        aggregate = run.get("aggregate_name", "median")
        if aggregate not in ("median", "cv"):
            continue
        match = re.match(r"(\w+)/(v\d+)/(\w+)/(?:real_time|iterations:\d+)"
                         r"(?:/threads:(\d+))?", run["run_name"])
        if not match:
            continue
        workload, value, name = match.group(1), match.group(2), match.group(3)
        if workload == "Memory":
            if aggregate == "median":
                memory[(value, name)] = (run["bytes_per_entry"],
                                         run["heap_bytes_per_entry"])
            continue
        key = (workload, value, name, int(match.group(4) or 1))
        (rates if aggregate == "median" else cvs)[key] = run["items_per_second"]
    return {k: (r, cvs.get(k, 0.0)) for k, r in rates.items()}, memory


def cell(rates, key):
    if key not in rates:
        return "–"
    rate, cv = rates[key]
    text = f"{rate / 1e6:.1f}"
    return text + (f" ({cv:.0%})" if cv > 0.02 else "")


def main():
    rates, memory = load(sys.argv[1])
    columns = [(t, v) for t in THREADS for v in VALUES]
    for workload in WORKLOADS:
        names = sorted({k[2] for k in rates if k[0] == workload},
                       key=ORDER.index)
        if not names:
            continue
        print(f"**{workload}** (Mops/s)\n")
        print("| map | " + " | ".join(f"{t}T {v}" for t, v in columns) + " |")
        print("|---|" + "---|" * len(columns))
        for name in names:
            print(f"| {NAMES[name]} | " + " | ".join(
                cell(rates, (workload, v, name, t)) for t, v in columns) + " |")
        print()

    print("**Goals**: tophash::Map / max(TBB, libcuckoo); pure find also "
          "/ unlocked absl\n")
    print("| workload | " + " | ".join(f"{t}T {v}" for t, v in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for workload in WORKLOADS:
        cells = []
        for t, v in columns:
            ours = rates.get((workload, v, "tophash", t))
            peers = [rates[(workload, v, p, t)][0] for p in ("tbb", "cuckoo")
                     if (workload, v, p, t) in rates]
            cells.append(f"{ours[0] / max(peers):.2f}x" if ours and peers
                         else "–")
        print(f"| {workload} | " + " | ".join(cells) + " |")
    cells = []
    for t, v in columns:
        ours = rates.get(("PureFind", v, "tophash", t))
        absl = rates.get(("PureFind", v, "absl", t))
        cells.append(f"{ours[0] / absl[0]:.2f}x" if ours and absl else "–")
    print("| PureFind vs absl | " + " | ".join(cells) + " |")
    print()

    if memory:
        print("**Memory** at 2^20 entries, bytes per entry (requested from "
              "the allocator / glibc heap growth)\n")
        print("| map | " + " | ".join(VALUES) + " | " +
              " | ".join(f"vs absl {v}" for v in VALUES) + " |")
        print("|---|" + "---|" * (2 * len(VALUES)))
        names = sorted({k[1] for k in memory}, key=ORDER.index)
        for name in names:
            row = []
            for v in VALUES:
                req, heap = memory.get((v, name), (0, 0))
                row.append(f"{req:.1f} / {heap:.1f}")
            for v in VALUES:
                absl = memory.get((v, "absl"), (0, 0))[0]
                req = memory.get((v, name), (0, 0))[0]
                row.append(f"{req / absl:.2f}x" if absl else "–")
            print(f"| {NAMES[name]} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
