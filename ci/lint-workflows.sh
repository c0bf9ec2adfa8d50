#!/usr/bin/env bash
# ci/lint-workflows.sh: validates the GitHub workflow files (the lint stage
# of ci/test.sh).
#
#   bash ci/lint-workflows.sh [FILE...]      (default: .github/workflows/*.yml)
#
# Two checks, both offline once the validator is installed:
#   1. action-validator (npm @action-validator/cli): each file against the
#      GitHub workflow JSON schema it bundles (SchemaStore's), so bad YAML, a
#      misspelt key, a wrong type or a missing `runs-on` fails;
#      ci/workflow-lint/format_validator.py turns its JSON report into
#      FILE:LINE: lines.
#   2. ci/workflow-lint/check_cflite.py: the inputs of ClusterFuzzLite's
#      actions, which no schema knows (unknown or missing inputs, mode,
#      sanitizer, fuzz-seconds, language vs .clusterfuzzlite/project.yaml).
# The validator's version is pinned, with integrity hashes, by
# ci/workflow-lint/package-lock.json; `npm ci` installs it into
# build/tools/action-validator the first time and whenever the lock file
# changes, and never otherwise (so the stage takes seconds and needs no
# network). If the npm registry cannot be reached for that install, the
# script fails (exit 2); it never skips a check. node, npm and python3-yaml
# come from Debian (ci/setup.sh).
# Exit: 0 all valid, 1 a file is invalid, 2 a tool is missing or could not
# be installed.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
readonly REPO_ROOT
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in ci/workflow-lint/

readonly LOCK_DIR=ci/workflow-lint
readonly TOOL_DIR=build/tools/action-validator
readonly CLI=$TOOL_DIR/node_modules/@action-validator/cli/cli.mjs

log() { echo "lint-workflows: $*"; }
die() {
  echo "lint-workflows: error: $*" >&2
  exit 2
}

# The install is current when it was made from the committed lock file.
installed() {
  [[ -f $CLI ]] && cmp -s "$LOCK_DIR/package-lock.json" \
    "$TOOL_DIR/package-lock.json"
}

install_validator() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    die "node and npm are needed: run ci/setup.sh (Debian packages nodejs, npm)"
  fi
  installed && return
  log "installing the validator ($LOCK_DIR/package-lock.json) into $TOOL_DIR"
  rm -rf "$TOOL_DIR"
  mkdir -p "$TOOL_DIR"
  cp "$LOCK_DIR/package.json" "$LOCK_DIR/package-lock.json" "$TOOL_DIR/"
  local npm_log=$REPO_ROOT/$TOOL_DIR/npm.log
  if ! (cd "$TOOL_DIR" && npm ci --no-audit --no-fund --ignore-scripts \
    --fetch-retries=1 --fetch-timeout=60000 >"$npm_log" 2>&1); then
    tail -20 "$npm_log" >&2
    rm -f "$TOOL_DIR/package-lock.json"  # not installed: retry next time
    die "npm ci failed (is the npm registry reachable?); log: $npm_log"
  fi
  [[ -f $CLI ]] || die "npm ci did not install $CLI"
}

check_tools() {
  python3 -c 'import yaml' 2>/dev/null ||
    die "python3 with PyYAML is needed: run ci/setup.sh (Debian package python3-yaml)"
  install_validator
}

# Check 1: the workflow schema, one file at a time.
check_schema() {
  local file=$1 output
  if output=$(node "$CLI" "$file" 2>&1); then
    log "ok (schema): $file"
    return 0
  fi
  python3 "$LOCK_DIR/format_validator.py" "$file" <<<"$output" | sed 's/^/  /' >&2
  log "INVALID (schema): $file"
  return 1
}

# Check 2: ClusterFuzzLite's action inputs, all files at once.
check_cflite() {
  local output
  if output=$(python3 "$LOCK_DIR/check_cflite.py" .clusterfuzzlite/project.yaml "$@"); then
    log "ok (ClusterFuzzLite inputs): $*"
    return 0
  fi
  # shellcheck disable=SC2001  # indents every line
  sed 's/^/  /' <<<"$output" >&2
  log "INVALID (ClusterFuzzLite inputs)"
  return 1
}

main() {
  local files=() file
  for file in "$@"; do  # relative to the caller's directory
    [[ $file == /* ]] || file=$PWD/$file
    files+=("$file")
  done
  cd "$REPO_ROOT"
  if ((${#files[@]} == 0)); then
    shopt -s nullglob
    files=(.github/workflows/*.yml .github/workflows/*.yaml)
    shopt -u nullglob
  fi
  ((${#files[@]} > 0)) || die "no workflow files found"
  for file in "${files[@]}"; do
    [[ -f $file ]] || die "$file: no such file"
  done
  check_tools
  local failed=0
  for file in "${files[@]}"; do
    check_schema "$file" || failed=1
  done
  check_cflite "${files[@]}" || failed=1
  if ((failed)); then
    log "FAILED"
    exit 1
  fi
  log "OK: ${#files[@]} workflow file(s)"
}

main "$@"
