#!/usr/bin/env python3
"""Turns action-validator's JSON error report into "FILE:LINE: ..." lines.

    node cli.mjs FILE 2>&1 | format_validator.py FILE

action-validator (@action-validator/cli) prints a JSON object whose
"errors" are JSON-schema failures with a JSON-pointer "path". A "one_of"
failure nests the failures of every alternative the schema offered (a job
is a normal job or a reusable-workflow call, ...); the alternative whose
failures reach deepest into the document is the one the author meant, so
only its failures (all of them, when several tie) are printed. Each line
gets the line number of the failing key, found by re-reading FILE. Input
that is not such JSON is printed as it is, under FILE.
"""

import json
import re
import sys

import yaml

import yaml_lines


def depth(error):
    """How deep into the document an error (or its alternatives) reaches."""
    own = error.get("path", "").count("/")
    nested = [depth(e) for s in error.get("states", []) for e in s["errors"]]
    return max([own] + nested)


def leaves(errors):
    """The concrete failures, one_of alternatives reduced to the deepest."""
    found = []
    for error in errors:
        states = error.get("states")
        if not states:
            found.append(error)
            continue
        reach = [max((depth(e) for e in s["errors"]), default=0) for s in states]
        for state, r in zip(states, reach):
            if r == max(reach):
                found.extend(leaves(state["errors"]))
    return found


def message(path, doc, error):
    location = error.get("location")
    if location:
        where = f"{path}:{location['line']}:{location['column']}"
    else:
        # An unknown key is reported at its parent: point at the key itself.
        pointer = error.get("path", "")
        extra = re.match(r"Additional property '([^']*)'", error.get("detail", ""))
        if extra:
            pointer += "/" + extra.group(1)
        where = f"{path}:{yaml_lines.line_of(doc, pointer)}"
    text = error.get("title", error.get("code", "error"))
    if error.get("detail"):
        text += ": " + error["detail"]
    pointer = error.get("path") or "/"
    return f"{where}: {pointer}: {text}"


def main(argv):
    path, raw = argv[1], sys.stdin.read()
    try:
        report = json.loads(raw[raw.index("{"):])
        errors = report["errors"]
    except (ValueError, KeyError, TypeError):
        for line in raw.splitlines():
            print(f"{path}: {line}")
        return
    try:
        doc = yaml_lines.load(path)
    except (OSError, yaml.YAMLError):
        doc = None
    lines = []
    for error in leaves(errors):
        line = message(path, doc, error)
        if line not in lines:
            lines.append(line)
    print("\n".join(lines) if lines else f"{path}: invalid (no details)")


if __name__ == "__main__":
    main(sys.argv)
