"""Reading and validating catalogue library files.

A catalogue is either one YAML file, or a directory holding `catalogue.yaml`
(its identity and languages), `headings/*.yaml` (one heading each) and
`templates/*.yaml` (one model template each). Both are checked against the JSON
Schema in `schema/catalogue.schema.json` and then by the rules a schema cannot
express: unique ids, references that resolve, and the translations each
language level requires. Every problem names the file, the line and the node.
"""

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jsonschema

from openaeo.catalogue.yaml_lines import LocatedDict, LocatedList, YamlSyntaxError, load_located

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
LIBRARY_DIR = Path(__file__).resolve().parent / "library"

# Fields that must exist in the "partial" languages too (what a person must be able to
# read in their language even before the full translation is done).
PARTIAL_FIELDS = {
    ("heading", "title"),
    ("requirement", "title"),
    ("question", "text"),
    ("option", "label"),
    ("template", "title"),
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.node}: {self.message}"


class LibraryInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def read_catalogue(path: Path) -> LocatedDict:
    """The whole catalogue as one document, each part still knowing its file and line."""
    try:
        if path.is_dir():
            document = load_located(path / "catalogue.yaml")
            if not isinstance(document, dict):
                raise LibraryInvalid(
                    [Problem(str(path / "catalogue.yaml"), 1, "catalogue", "expected a mapping")]
                )
            for part, folder in (("headings", "headings"), ("templates", "templates")):
                if part in document:
                    raise LibraryInvalid(
                        [
                            Problem(
                                document.source_file,
                                document.key_lines[part],
                                "catalogue",
                                f"'{part}' belong in the {folder}/ folder, one file each",
                            )
                        ]
                    )
                items = LocatedList(
                    load_located(file) for file in sorted((path / folder).glob("*.yaml"))
                )
                items.source_file, items.source_line = str(path / folder), 0
                document[part] = items
            return document
        document = load_located(path)
    except YamlSyntaxError as error:
        raise LibraryInvalid([Problem(error.file, error.line, "yaml", error.message)]) from error
    if not isinstance(document, dict):
        raise LibraryInvalid([Problem(str(path), 1, "catalogue", "expected a mapping at the top")])
    return document


def _locate(document, path) -> tuple[str, int, str]:
    """File, line and the id of the nearest identified node along a JSON path."""
    node, file, line, label = document, getattr(document, "source_file", ""), 1, "catalogue"
    if isinstance(document, dict) and document.get("urn"):
        label = document["urn"]
    for step in path:
        parent = node
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(parent, LocatedDict) and step in parent.key_lines:
            file, line = parent.source_file, parent.key_lines[step]
        if isinstance(node, LocatedDict | LocatedList) and node.source_line:
            file, line = node.source_file, node.source_line
        if isinstance(node, dict) and isinstance(node.get("id") or node.get("code"), str):
            label = node.get("id") or node["code"]
        elif isinstance(step, str):
            label = f"{label} > {step}"
    return file, line, label


def _schema_problems(document, schema_name: str) -> Iterator[Problem]:
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    for error in sorted(
        validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    ):
        file, line, label = _locate(document, error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            message = "unknown key " + ", ".join(repr(key) for key in unknown)
            if isinstance(error.instance, LocatedDict) and unknown:
                line = error.instance.key_lines.get(unknown[0], line)
        elif error.validator == "required":
            message = message.replace("is a required property", "is missing")
        yield Problem(file, line, label, message)


def _texts(document) -> Iterator[tuple[str, str, dict, dict]]:
    """(kind, field, owning node, text) for every translatable text in a catalogue."""
    for field in ("title", "description"):
        if isinstance(document.get(field), dict):
            yield "catalogue", field, document, document[field]
    for heading in document.get("headings") or []:
        for field in ("title", "intro"):
            yield "heading", field, heading, heading.get(field)
        for requirement in heading.get("requirements") or []:
            for field in ("title", "statement", "why", "guidance", "evidence"):
                yield "requirement", field, requirement, requirement.get(field)
            for size, text in (requirement.get("means") or {}).items():
                yield "requirement", f"means.{size}", requirement, text
            for question in requirement.get("questions") or []:
                for field in ("text", "help", "unit"):
                    if field in question:
                        yield "question", field, question, question[field]
                for option in question.get("options") or []:
                    yield "option", "label", option, option.get("label")
    for template in document.get("templates") or []:
        for field in ("title", "purpose", "body"):
            yield "template", field, template, template.get(field)


def _identified_nodes(document) -> Iterator[tuple[str, dict]]:
    for heading in document.get("headings") or []:
        yield "heading", heading
        for requirement in heading.get("requirements") or []:
            yield "requirement", requirement
            for question in requirement.get("questions") or []:
                yield "question", question
    for template in document.get("templates") or []:
        yield "template", template


def _where(node) -> tuple[str, int]:
    return getattr(node, "source_file", ""), getattr(node, "source_line", 0)


def _rule_problems(document) -> Iterator[Problem]:
    languages = document.get("languages") or {}
    complete = set(languages.get("complete") or [])
    partial = set(languages.get("partial") or [])

    seen: dict[str, dict] = {}
    for _kind, node in _identified_nodes(document):
        node_id = node.get("id")
        if not isinstance(node_id, str):
            continue
        if node_id in seen:
            first_file, first_line = _where(seen[node_id])
            yield Problem(
                *_where(node), node_id, f"duplicate id (first used at {first_file}:{first_line})"
            )
        else:
            seen[node_id] = node

    template_ids = {t.get("id") for t in document.get("templates") or []}
    for heading in document.get("headings") or []:
        for requirement in heading.get("requirements") or []:
            for reference in requirement.get("templates") or []:
                if reference not in template_ids:
                    yield Problem(
                        *_where(requirement),
                        requirement.get("id", "requirement"),
                        f"refers to the template {reference}, which does not exist",
                    )

    for kind, field, owner, text in _texts(document):
        if not isinstance(text, dict):
            continue
        needed = complete | (partial if (kind, field.split(".")[0]) in PARTIAL_FIELDS else set())
        missing = sorted(language for language in needed if not text.get(language))
        if missing:
            label = owner.get("id") or owner.get("value") or kind
            file, line = _where(text) if getattr(text, "source_line", 0) else _where(owner)
            yield Problem(
                file, line, str(label), f"{field}: missing translation in {', '.join(missing)}"
            )


def validate_catalogue(document) -> list[Problem]:
    problems = list(_schema_problems(document, "catalogue"))
    problems.extend(_rule_problems(document))
    return problems


def load_catalogue(path: Path) -> dict:
    """Read and validate; the catalogue as plain data, or LibraryInvalid naming every problem.

    Validation of the full catalogue takes a noticeable fraction of a second, so the
    result is kept while none of the files changes (same names, sizes and times).
    """
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    signature = tuple((str(file), file.stat().st_mtime_ns, file.stat().st_size) for file in files)
    return copy.deepcopy(_load_validated(str(path), signature))


@lru_cache(maxsize=8)
def _load_validated(path: str, signature: tuple) -> dict:
    from openaeo.catalogue.yaml_lines import to_plain

    document = read_catalogue(Path(path))
    problems = validate_catalogue(document)
    if problems:
        raise LibraryInvalid(problems)
    return to_plain(document)
