"""YAML loading that remembers where each mapping came from (file and line).

Error messages about a catalogue or programme file must name the file, the line
and the node, so that a programme manager can find the mistake without reading
a stack trace.
"""

from pathlib import Path

import yaml


class LocatedDict(dict):
    """A mapping that knows the file and line it was read from."""

    source_file: str = ""
    source_line: int = 0
    key_lines: dict


class LocatedList(list):
    source_file: str = ""
    source_line: int = 0


class _LocatingLoader(yaml.SafeLoader):
    source_file = ""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LocatedDict()
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise YamlSyntaxError(
                loader.source_file,
                key_node.start_mark.line + 1,
                f"the key {key!r} appears twice in the same block",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    mapping.source_file = loader.source_file
    mapping.source_line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node):
    sequence = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.source_file = loader.source_file
    sequence.source_line = node.start_mark.line + 1
    return sequence


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
)


class YamlSyntaxError(ValueError):
    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


def load_located(path: Path):
    """Parse one YAML file; mappings and lists carry `source_file` and `source_line`."""
    return load_located_text(path.read_text(encoding="utf-8"), str(path))


def load_located_text(text: str, name: str):
    """Parse YAML text (e.g. from a form); `name` stands for the file in messages."""
    path = name

    class Loader(_LocatingLoader):
        source_file = str(path)

    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlSyntaxError(str(path), line, str(error.problem or error)) from error


def to_plain(value):
    """Strip location information: plain dicts and lists, for storage and hashing."""
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value
