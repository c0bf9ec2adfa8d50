#!/usr/bin/env bash
# ci/lint-workflows.sh: validates the GitHub workflow files.
#
#   bash ci/lint-workflows.sh [FILE...]      (default: .github/workflows/*.yml)
#
# Two checks, both offline once the tools are installed:
#   1. action-validator (npm @action-validator/cli, pinned below): each file
#      against the GitHub workflow JSON schema it bundles (SchemaStore's),
#      so a misspelt key, a wrong type or a missing `runs-on` fails.
#   2. the inputs of ClusterFuzzLite's actions, which no schema knows: every
#      `with:` key of google/clusterfuzzlite/actions/{build,run}_fuzzers must
#      be one of the action's inputs (action.yml of google/clusterfuzzlite,
#      Dec 2024), `mode` one of its four modes and `sanitizer` one it
#      supports; .clusterfuzzlite/project.yaml must parse and name c++.
# The validator is installed, once, into build/tools/action-validator (with
# npm, from the npm registry); python3-yaml from Debian when missing.
# Exit: 0 all valid, 1 a file is invalid, 2 a tool could not be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly VALIDATOR_VERSION=0.6.0
readonly TOOL_DIR=build/tools/action-validator
readonly CLI=$TOOL_DIR/node_modules/@action-validator/cli/cli.mjs

log() { echo "lint-workflows: $*"; }
die() {
  echo "lint-workflows: error: $*" >&2
  exit 2
}

installed_version() {
  node -e 'console.log(require(process.argv[1]).version)' \
    "$PWD/$TOOL_DIR/node_modules/@action-validator/cli/package.json" 2>/dev/null || true
}

install_tools() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    die "node and npm are needed (Debian: apt-get install nodejs npm)"
  fi
  if [[ ! -f $CLI || $(installed_version) != "$VALIDATOR_VERSION" ]]; then
    log "installing @action-validator/cli@$VALIDATOR_VERSION into $TOOL_DIR"
    mkdir -p "$TOOL_DIR"
    npm install --prefix "$TOOL_DIR" --no-audit --no-fund --no-save \
      --loglevel=error "@action-validator/cli@$VALIDATOR_VERSION" >/dev/null ||
      die "npm install @action-validator/cli@$VALIDATOR_VERSION failed"
  fi
  if ! python3 -c 'import yaml' 2>/dev/null; then
    log "installing python3-yaml"
    apt-get install -y --no-install-recommends python3-yaml >/dev/null ||
      die "apt-get install python3-yaml failed"
  fi
}

# Check 2: ClusterFuzzLite action inputs, and the CFLite project file.
check_cflite_inputs() {
  python3 - "$@" <<'PY'
import sys, yaml

INPUTS = {
    "build_fuzzers": {
        "language", "dry-run", "allowed-broken-targets-percentage",
        "sanitizer", "project-src-path", "bad-build-check",
        "keep-unaffected-fuzz-targets", "storage-repo", "storage-repo-branch",
        "storage-repo-branch-coverage", "upload-build", "github-token"},
    "run_fuzzers": {
        "language", "fuzz-seconds", "dry-run", "sanitizer", "mode",
        "github-token", "storage-repo", "storage-repo-branch",
        "storage-repo-branch-coverage", "report-unreproducible-crashes",
        "minimize-crashes", "parallel-fuzzing", "output-sarif",
        "report-timeouts", "report-ooms"},
}
MODES = {"code-change", "batch", "prune", "coverage"}
SANITIZERS = {"address", "undefined", "memory", "coverage"}
PREFIX = "google/clusterfuzzlite/actions/"

errors = []
for path in sys.argv[1:]:
    with open(path) as f:
        doc = yaml.safe_load(f)
    for job_name, job in (doc.get("jobs") or {}).items():
        for i, step in enumerate(job.get("steps") or []):
            uses = step.get("uses", "")
            if not uses.startswith(PREFIX):
                continue
            action = uses[len(PREFIX):].split("@")[0]
            where = f"{path}: jobs.{job_name}.steps[{i}] ({action})"
            if action not in INPUTS:
                errors.append(f"{where}: unknown ClusterFuzzLite action")
                continue
            with_ = step.get("with") or {}
            for key in with_:
                if key not in INPUTS[action]:
                    errors.append(f"{where}: '{key}' is not an input of {action}")
            mode = with_.get("mode")
            if mode is not None and mode not in MODES:
                errors.append(f"{where}: mode '{mode}' is not one of {sorted(MODES)}")
            san = str(with_.get("sanitizer", "address"))
            if "${{" not in san and san not in SANITIZERS:
                errors.append(f"{where}: sanitizer '{san}' is not one of {sorted(SANITIZERS)}")
            if action == "run_fuzzers" and "fuzz-seconds" not in with_:
                errors.append(f"{where}: run_fuzzers needs fuzz-seconds")

with open(".clusterfuzzlite/project.yaml") as f:
    project = yaml.safe_load(f) or {}
if project.get("language") != "c++":
    errors.append(".clusterfuzzlite/project.yaml: language must be c++")

for e in errors:
    print("lint-workflows: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

main() {
  local files=("$@")
  if ((${#files[@]} == 0)); then
    shopt -s nullglob
    files=(.github/workflows/*.yml .github/workflows/*.yaml)
    shopt -u nullglob
  fi
  ((${#files[@]} > 0)) || die "no workflow files found"
  install_tools
  local failed=0 file output
  for file in "${files[@]}"; do
    if output=$(node "$CLI" "$file" 2>&1); then
      log "ok (schema): $file"
    else
      echo "$output" >&2
      log "INVALID (schema): $file"
      failed=1
    fi
  done
  if check_cflite_inputs "${files[@]}"; then
    log "ok (ClusterFuzzLite inputs): ${files[*]}"
  else
    failed=1
  fi
  if ((failed)); then
    log "FAILED"
    exit 1
  fi
  log "OK: ${#files[@]} workflow file(s)"
}

main "$@"
