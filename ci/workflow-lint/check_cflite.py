#!/usr/bin/env python3
"""Checks the ClusterFuzzLite steps of GitHub workflow files.

    check_cflite.py PROJECT_YAML WORKFLOW...

The GitHub workflow schema (action-validator, ci/lint-workflows.sh) knows
nothing of what an action accepts, so this checks what it cannot: every
`with:` key of a google/clusterfuzzlite/actions/{build,run}_fuzzers step is
an input of that action, the action's required inputs are given, `mode` is
one of run_fuzzers' four modes, `sanitizer` one ClusterFuzzLite supports,
`fuzz-seconds` a positive number, `language` the one PROJECT_YAML
(.clusterfuzzlite/project.yaml) names, and the action is pinned to a ref;
and the Dockerfile and build.sh ClusterFuzzLite builds with sit next to
PROJECT_YAML.
The input lists are those of action.yml in google/clusterfuzzlite (head of
Dec 2024, 40f9a53); update them with the actions' version.

Prints one "FILE:LINE: problem" line per error (FILE:LINE:COL for YAML
syntax errors) and exits 1 if there was any, else 0. The YAML is read with
yaml_lines.LineLoader, whose "__"-keys give the lines.
"""

import os
import sys

import yaml

import yaml_lines

PREFIX = "google/clusterfuzzlite/actions/"
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
REQUIRED = {"build_fuzzers": [], "run_fuzzers": ["fuzz-seconds", "github-token"]}
MODES = ["code-change", "batch", "prune", "coverage"]
SANITIZERS = ["address", "undefined", "memory", "coverage"]


def load(path, errors):
    """The parsed file, or None after appending why it could not be read."""
    try:
        return yaml_lines.load(path)
    except (OSError, yaml.YAMLError) as e:
        errors.append(yaml_lines.describe_error(path, e))
    return None


def is_expression(value):
    return isinstance(value, str) and "${{" in value


def check_step(where, action, with_, language, errors):
    """Appends the problems of one ClusterFuzzLite step's `with:` block."""
    for key in with_:
        if not str(key).startswith("__") and key not in INPUTS[action]:
            errors.append(f"{where}: '{key}' is not an input of {action} "
                          f"(inputs: {', '.join(sorted(INPUTS[action]))})")
    for key in REQUIRED[action]:
        if key not in with_:
            errors.append(f"{where}: {action} needs the input '{key}'")
    checks = [("mode", MODES), ("sanitizer", SANITIZERS)]
    for key, allowed in checks:
        value = with_.get(key)
        if value is not None and not is_expression(value) and value not in allowed:
            errors.append(f"{where}: {key} '{value}' is not one of "
                          f"{', '.join(allowed)}")
    seconds = with_.get("fuzz-seconds")
    if seconds is not None and not is_expression(seconds) and (
            not isinstance(seconds, int) or seconds <= 0):
        errors.append(f"{where}: fuzz-seconds '{seconds}' is not a positive "
                      "number of seconds")
    lang = with_.get("language")
    if lang is not None and language is not None and lang != language:
        errors.append(f"{where}: language '{lang}' differs from "
                      f".clusterfuzzlite/project.yaml's '{language}'")


def check_workflow(path, language, errors):
    doc = load(path, errors)
    if not isinstance(doc, dict):
        return
    jobs = doc.get("jobs")
    for job_name, job in (jobs.items() if isinstance(jobs, dict) else []):
        if str(job_name).startswith("__") or not isinstance(job, dict):
            continue
        for step in job.get("steps") or []:
            uses = step.get("uses", "") if isinstance(step, dict) else ""
            if not isinstance(uses, str) or not uses.startswith(PREFIX):
                continue
            action, _, ref = uses[len(PREFIX):].partition("@")
            where = f"{path}:{step['__line__']}: jobs.{job_name}, {action}"
            if action not in INPUTS:
                errors.append(f"{where}: unknown ClusterFuzzLite action "
                              f"(known: {', '.join(sorted(INPUTS))})")
                continue
            if not ref:
                errors.append(f"{where}: pin the action to a ref, e.g. @v1")
            with_ = step.get("with") or {}
            if not isinstance(with_, dict):
                errors.append(f"{where}: `with:` must be a mapping")
                continue
            check_step(where, action, with_, language, errors)


def main(argv):
    if len(argv) < 3:
        print("usage: check_cflite.py PROJECT_YAML WORKFLOW...", file=sys.stderr)
        return 2
    errors = []
    project = load(argv[1], errors) or {}
    language = project.get("language") if isinstance(project, dict) else None
    if not errors and language is None:
        errors.append(f"{argv[1]}: names no language")
    # build_fuzzers builds the Dockerfile next to project.yaml, which runs
    # build.sh.
    for needed in ("Dockerfile", "build.sh"):
        path = os.path.join(os.path.dirname(argv[1]), needed)
        if not os.path.isfile(path):
            errors.append(f"{path}: missing (ClusterFuzzLite needs it)")
    for path in argv[2:]:
        check_workflow(path, language, errors)
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
