"""YAML loading that remembers where things are, for lint messages.

LineLoader is PyYAML's SafeLoader, except that every mapping it builds
carries two extra keys: "__line__", the 1-based line where the mapping
starts, and "__key_lines__", {key: line of that key}. Callers skip keys
that start with "__".
"""

import yaml

LINE = "__line__"
KEY_LINES = "__key_lines__"


class LineLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """SafeLoader whose mappings record their own and their keys' lines."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping[KEY_LINES] = {
            self.construct_object(key, deep=deep): key.start_mark.line + 1
            for key, _ in node.value
        }
        return mapping


def load(path):
    """The document of `path`; raises OSError or yaml.YAMLError."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=LineLoader)  # noqa: S506 (a SafeLoader)


def describe_error(path, error):
    """"PATH:LINE:COL: not valid YAML: problem" for a load() failure."""
    if isinstance(error, OSError):
        return f"{path}: cannot read: {error.strerror}"
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return f"{path}: not valid YAML: {error}"
    return (f"{path}:{mark.line + 1}:{mark.column + 1}: not valid YAML: "
            f"{error.problem}")


def line_of(doc, pointer):
    """The line of JSON pointer `pointer` ("/jobs/a/steps/1") in `doc`: the
    line of its deepest key found, or of the deepest mapping reached."""
    line, node = 1, doc
    for part in [p for p in pointer.split("/") if p]:
        if isinstance(node, dict):
            line = node.get(KEY_LINES, {}).get(part, node.get(LINE, line))
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            if isinstance(node, dict):
                line = node.get(LINE, line)
        else:
            break
    return line
