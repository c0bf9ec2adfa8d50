#!/usr/bin/env bash
# The fault kill table: builds the default preset if needed and runs
# `tophash-fuzz mutants`, which searches for every injected fault with every
# executor, minimizes the findings, checks the production map in the same
# run, and writes docs/kill-table.md. Exits non-zero if a fault went
# uncaught or the production map showed a violation.
#
#   ci/mutation-score.sh [extra mutants flags]
#   (defaults: --seconds-per-fault 2 --seeds 3, a few minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/default/harness/cli/tophash-fuzz
if [[ ! -x "$binary" ]]; then
  cmake --preset default
fi
cmake --build build/default --target tophash-fuzz

"$binary" mutants --seconds-per-fault 2 --seeds 3 --out docs/kill-table.md "$@"
