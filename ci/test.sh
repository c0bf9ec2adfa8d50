#!/usr/bin/env bash
# ci/test.sh: builds and runs the whole test suite. The README's test
# command; .ci/run calls it.
#
#   bash ci/test.sh            every stage below, in order
#   bash ci/test.sh STAGE...   only those stages
#
# Stages (each but lint configures its CMake preset into build/<preset>,
# builds with -j2 and runs CTest; ccache makes repeated runs cheap):
#   lint     the GitHub workflow files (ci/lint-workflows.sh: the workflow
#            schema and ClusterFuzzLite's action inputs), then proof that
#            the lint rejects broken ones (ci/lint_workflows_test.sh);
#            seconds, once the pinned validator is installed in build/tools
#            (the first run needs the npm registry and fails without it)
#   default  g++ RelWithDebInfo: every test (labels unit, stress, corpus)
#   asan     clang-19 ASan+UBSan: every test
#   tsan     clang-19 TSan: every test (real-thread stress tests included)
#   browser  the HTML report in headless Chromium (ci/browser.sh): a page of
#            each kind from build/default, asserted from the DOM at 1280x800
#            (offending box visible unscrolled, a click shows the map state);
#            about a minute after the default stage
#   fuzz     clang-19 libFuzzer build: fuzz-target tests (seeds replay clean,
#            short libFuzzer/AFL++ runs, the ghost-key detection test, the
#            OSS-Fuzz build check)
# It installs missing Debian packages first (ci/setup.sh; needs root; the
# browser stage adds Debian's chromium when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(lint default browser asan tsan fuzz)

extras=()
for stage in "${stages[@]}"; do
  [ "$stage" = browser ] && extras=(browser)
done
bash ci/setup.sh "${extras[@]}"

# Let ccache share objects between clones of the repository (CI builds a
# fresh clone in another directory each time).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

now() { date +%s; }
run_stage() {
  local preset=$1 label_args=()
  [ "$preset" = fuzz ] && preset=libfuzzer && label_args=(-L fuzz)
  local start
  start=$(now)
  echo "=== stage $1: configure + build (preset $preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build "build/$preset" -j2
  echo "=== stage $1: test"
  ctest --test-dir "build/$preset" -j2 --output-on-failure --timeout 900 \
    "${label_args[@]}"
  echo "=== stage $1: passed in $(( $(now) - start )) s"
}

for stage in "${stages[@]}"; do
  case "$stage" in
    default|asan|tsan|fuzz) run_stage "$stage" ;;
    lint)
      start=$(now)
      echo "=== stage lint: workflow files"
      bash ci/lint-workflows.sh
      bash ci/lint_workflows_test.sh
      echo "=== stage lint: passed in $(( $(now) - start )) s" ;;
    browser)
      start=$(now)
      echo "=== stage browser: HTML reports in headless Chromium"
      bash ci/browser.sh
      echo "=== stage browser: passed in $(( $(now) - start )) s" ;;
    *) echo "ci/test.sh: unknown stage '$stage' (lint, default, browser, asan, tsan, fuzz)" >&2
       exit 2 ;;
  esac
done
echo "=== all stages passed: ${stages[*]}"
