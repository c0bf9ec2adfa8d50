#!/usr/bin/env bash
# ci/lint_workflows_test.sh: proves ci/lint-workflows.sh can fail. Part of
# the lint stage of ci/test.sh, after the real workflows passed.
#
# Four copies of .github/workflows/cflite_pr.yml, each broken one way (sed):
# bad YAML, a key the GitHub schema does not allow, a misspelt
# ClusterFuzzLite input (which the schema cannot see), an unknown
# run_fuzzers mode. Linting them must exit 1 with a message naming each
# file, line and problem; the unbroken original must pass; a missing file
# must give exit 2. Takes seconds: the lint run before it installed the
# validator.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/.." && pwd)
lint=$repo_root/ci/lint-workflows.sh
original=$repo_root/.github/workflows/cflite_pr.yml
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failures=0 cases=0
fail() {
  echo "FAIL [$1]: $2" >&2
  sed 's/^/    /' "$scratch/out" >&2
  failures=$((failures + 1))
}

# lint WANT_STATUS FILE...: lints FILEs (output to $scratch/out), checks the
# exit status.
lint() {
  local want_status=$1 status=0
  shift
  cases=$((cases + 1))
  bash "$lint" "$@" >"$scratch/out" 2>&1 || status=$?
  if ((status == want_status)); then
    echo "ok [exit status]: $status for ${*##*/}"
  else
    fail "exit status" "$status for ${*##*/}, want $want_status"
  fi
}

# expect NAME REGEX: the last lint's messages match REGEX.
expect() {
  cases=$((cases + 1))
  if grep -qE -- "$2" "$scratch/out"; then
    echo "ok [$1]: $(grep -m1 -oE -- "$2" "$scratch/out")"
  else
    fail "$1" "no message matching: $2"
  fi
}

# broken NAME SED_SCRIPT: a copy of the original with SED_SCRIPT applied,
# which must change it.
broken() {
  local copy=$scratch/$1.yml
  sed -e "$2" "$original" >"$copy"
  ! cmp -s "$original" "$copy" || { echo "case $1: sed changed nothing" >&2; exit 2; }
  echo "$copy"
}

line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }

# An unclosed flow sequence: not YAML at all.
bad_yaml=$(broken bad_yaml 's/^jobs:$/jobs: [/')
# A misspelt top-level key: the GitHub workflow schema rejects it.
schema=$(broken schema 's/^jobs:$/jobz:/')
# A misspelt ClusterFuzzLite input: valid for the schema (`with:` is free
# form), so only the second check sees it.
input=$(broken input 's/fuzz-seconds: 600/fuzz-second: 600/')
# A mode run_fuzzers does not have.
mode=$(broken mode "s/mode: 'code-change'/mode: 'nightly'/")

# One run over all of them (node starts once per file either way); each
# message names its file and line.
lint 1 "$bad_yaml" "$schema" "$input" "$mode"
expect bad_yaml "bad_yaml\.yml:[0-9]+:[0-9]+: not valid YAML"
expect schema "schema\.yml:$(line_of "$schema" 'jobz:'): /: .*Additional property 'jobz' is not allowed"
step=$(($(line_of "$input" 'actions/run_fuzzers@') - 2))  # the step's `- name:`
expect input "input\.yml:$step: jobs\.PR, run_fuzzers: 'fuzz-second' is not an input of run_fuzzers"
expect input_required "input\.yml:$step: .*run_fuzzers needs the input 'fuzz-seconds'"
expect mode "mode\.yml:[0-9]+: .*mode 'nightly' is not one of code-change, batch, prune, coverage"
expect summary "INVALID \(schema\): .*schema\.yml"

# The unbroken original passes, so the failures above are the edits' doing.
lint 0 "$original"

lint 2 "$scratch/no-such.yml"
expect missing_file "no-such\.yml: no such file"

if ((failures > 0)); then
  echo "lint_workflows_test: $failures of $cases checks FAILED" >&2
  exit 1
fi
echo "lint_workflows_test: all $cases checks passed"
