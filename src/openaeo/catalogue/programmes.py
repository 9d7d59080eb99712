"""Reading and validating national programme files (see schema/programme.schema.json)."""

from collections.abc import Iterator
from pathlib import Path

from openaeo.catalogue.library import LibraryInvalid, Problem, _locate, _schema_problems
from openaeo.catalogue.yaml_lines import YamlSyntaxError, load_located_text, to_plain

PROGRAMME_DIR = Path(__file__).resolve().parent / "library" / "programmes"


def read_programme(path: Path):
    return read_programme_text(path.read_text(encoding="utf-8"), str(path))


def read_programme_text(text: str, name: str):
    try:
        document = load_located_text(text, name)
    except YamlSyntaxError as error:
        raise LibraryInvalid([Problem(error.file, error.line, "yaml", error.message)]) from error
    if not isinstance(document, dict):
        raise LibraryInvalid([Problem(name, 1, "programme", "expected a mapping at the top")])
    return document


def _pointer_resolves(document, pointer: str) -> bool:
    node = document
    for raw in pointer.lstrip("/").split("/"):
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not step.isdigit() or int(step) >= len(node):
                return False
            node = node[int(step)]
        elif isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return False
    return True


def _problem(document, path: list, message: str) -> Problem:
    file, line, label = _locate(document, path)
    return Problem(file, line, label, message)


def _catalogue_ids(catalogue: dict | None) -> tuple[set[str], set[str]] | None:
    if catalogue is None:
        return None
    headings = {heading["id"] for heading in catalogue["headings"]}
    requirements = {r["id"] for heading in catalogue["headings"] for r in heading["requirements"]}
    return headings, requirements


def _rule_problems(document, catalogue: dict | None) -> Iterator[Problem]:
    known = _catalogue_ids(catalogue)
    if catalogue is not None and document.get("catalogue") != catalogue.get("urn"):
        yield _problem(
            document,
            ["catalogue"],
            f"this programme uses {document.get('catalogue')}, not {catalogue.get('urn')}",
        )
    languages = set(document.get("languages") or [])
    tiers = document.get("tiers") or []
    tier_codes = [tier.get("code") for tier in tiers]
    benefit_codes = {benefit.get("code") for benefit in document.get("benefits") or []}
    for index, code in enumerate(tier_codes):
        if code in tier_codes[:index]:
            yield _problem(document, ["tiers", index, "code"], f"duplicate tier code {code!r}")
    for index, tier in enumerate(tiers):
        for benefit in tier.get("benefits") or []:
            if benefit not in benefit_codes:
                yield _problem(
                    document, ["tiers", index, "benefits"], f"unknown benefit {benefit!r}"
                )
        if tier.get("requires_tier") and tier["requires_tier"] not in tier_codes:
            yield _problem(
                document,
                ["tiers", index, "requires_tier"],
                f"unknown tier {tier['requires_tier']!r}",
            )
        if known is not None:
            heading_ids, requirement_ids = known
            scope = tier.get("scope") or {}
            for key, valid, what in (
                ("include", requirement_ids, "requirement"),
                ("exclude", requirement_ids, "requirement"),
                ("headings", heading_ids, "heading"),
            ):
                for urn in scope.get(key) or []:
                    if urn not in valid:
                        yield _problem(
                            document,
                            ["tiers", index, "scope", key],
                            f"{key} refers to {urn}, which is not a {what} of the catalogue",
                        )
    for pointer in document.get("configurable_defaults") or []:
        if not _pointer_resolves(document, pointer):
            yield _problem(document, ["configurable_defaults"], f"{pointer} points at nothing")
    # Names people read must exist in every language the programme offers.
    texts = [(["name"], document.get("name")), (["administration"], document.get("administration"))]
    for index, tier in enumerate(tiers):
        texts += [
            (["tiers", index, "name"], tier.get("name")),
            (["tiers", index, "summary"], tier.get("summary")),
        ]
    for index, benefit in enumerate(document.get("benefits") or []):
        texts += [
            (["benefits", index, "title"], benefit.get("title")),
            (["benefits", index, "description"], benefit.get("description")),
        ]
    for path, text in texts:
        if isinstance(text, dict):
            missing = sorted(language for language in languages if not text.get(language))
            if missing:
                yield _problem(document, path, f"missing translation in {', '.join(missing)}")


def validate_programme(document, *, catalogue: dict | None = None) -> list[Problem]:
    """Schema and cross-reference problems; with `catalogue`, its ids are checked too."""
    problems = list(_schema_problems(document, "programme"))
    problems.extend(_rule_problems(document, catalogue))
    return problems


def load_programme(path: Path, *, catalogue: dict | None = None) -> dict:
    document = read_programme(path)
    problems = validate_programme(document, catalogue=catalogue)
    if problems:
        raise LibraryInvalid(problems)
    return to_plain(document)


def shipped_programme_files() -> list[Path]:
    return sorted(PROGRAMME_DIR.glob("*.yaml"))
