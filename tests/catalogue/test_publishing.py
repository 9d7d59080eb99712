"""Publishing the shipped catalogue, loading the shipped programmes, and what they ask."""

import csv
import io
import json
import re
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from openaeo.catalogue import services
from openaeo.catalogue.crosswalks import (
    compare_programmes,
    load_crosswalk,
    mappings_by_requirement,
    shipped_crosswalk_files,
)
from openaeo.catalogue.library import LIBRARY_DIR, load_catalogue
from openaeo.catalogue.models import CatalogueVersion, ImmutableError
from openaeo.catalogue.proportionality import TierScope, questions_for
from openaeo.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_publishing_twice_changes_nothing():
    first, created = services.catalogue_publish(actor=None)
    again, created_again = services.catalogue_publish(actor=None)
    assert created and not created_again and first.pk == again.pk
    assert AuditEvent.objects.filter(action="catalogue.publish").count() == 1


def test_a_published_version_is_immutable(tmp_path):
    version, _ = services.catalogue_publish(actor=None)
    version.title = {"en": "Changed"}
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    edited = tmp_path / "safe2025"
    shutil.copytree(LIBRARY_DIR / "safe2025", edited)
    meta = edited / "catalogue.yaml"
    meta.write_text(
        meta.read_text().replace("  en: OpenAEO criteria", "  en: Edited OpenAEO criteria")
    )
    with pytest.raises(ValidationError, match="raise `revision`"):
        services.catalogue_publish(actor=None, path=edited)
    meta.write_text(meta.read_text().replace("revision: 2", "revision: 3"))
    newer, created = services.catalogue_publish(actor=None, path=edited)
    assert created and newer.revision == 3
    assert CatalogueVersion.objects.get(revision=2).title["en"].startswith("OpenAEO criteria")


def test_every_shipped_programme_loads(programmes):
    assert set(programmes) == {"safe-reference", "eu-style", "india-style", "hong-kong-style"}
    assert programmes["safe-reference"].is_default
    assert [t["code"] for t in programmes["india-style"].config["tiers"]] == ["t1", "t2", "t3"]
    hong_kong = programmes["hong-kong-style"].config["tiers"]
    assert [len(t["scope"]["headings"]) for t in hong_kong] == [10, 12]


def test_every_shipped_crosswalk_loads_against_the_catalogue():
    catalogue = load_catalogue(LIBRARY_DIR / "safe2025")
    files = shipped_crosswalk_files()
    assert {path.stem for path in files} == {"eu-ucc-art39", "ctpat-msc"}
    for path in files:
        crosswalk = load_crosswalk(path, catalogue=catalogue)
        mapped = mappings_by_requirement(crosswalk, catalogue)
        unmapped = [requirement for requirement, mappings in mapped.items() if not mappings]
        assert not unmapped, f"{path.name} leaves requirements unmapped: {unmapped}"


def _count(programme, tier_code, size_class, role):
    catalogue = programme.catalogue_version.content
    tier = programme.tier(tier_code)
    return questions_for(
        catalogue, TierScope.from_config(tier), size_class=size_class, roles=[role]
    )


def test_a_micro_exporter_on_the_entry_tier_is_asked_at_most_40_questions(programmes):
    asked = _count(programmes["safe-reference"], "entry", "micro", "exporter")
    assert 0 < len(asked) <= 40


def test_a_large_manufacturer_on_the_security_tier_gets_every_applicable_question(programmes):
    programme = programmes["safe-reference"]
    asked = {q["id"] for _, _, q in _count(programme, "security", "large", "manufacturer")}
    every = {
        question["id"]
        for heading in programme.catalogue_version.content["headings"]
        for requirement in heading["requirements"]
        if requirement["roles"] == "all" or "manufacturer" in requirement["roles"]
        for question in requirement["questions"]
    }
    assert asked == every


def test_stats_command_prints_the_counts_as_json(programmes):
    out = io.StringIO()
    call_command("catalogue", "stats", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert set(rows[0]) == {"programme", "tier", "size_class", "role", "questions"}
    micro = next(
        row
        for row in rows
        if row["programme"] == "urn:openaeo:programme:safe-reference"
        and row["tier"] == "entry"
        and row["size_class"] == "micro"
        and row["role"] == "exporter"
    )
    assert micro["questions"] == len(
        _count(programmes["safe-reference"], "entry", "micro", "exporter")
    )


def test_commands_name_the_problem(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: catalogue\nurn: urn:openaeo:x\nrevision: 1\ncolour: red\n")
    with pytest.raises(CommandError) as error:
        call_command("catalogue", "validate", str(broken), stdout=io.StringIO())
    assert f"{broken}:4: urn:openaeo:x: unknown key 'colour'" in str(error.value)
    out = io.StringIO()
    call_command("catalogue", "validate", str(LIBRARY_DIR / "safe2025"), stdout=out)
    assert "valid (13 headings" in out.getvalue()


def test_diff_command(tmp_path):
    edited = tmp_path / "safe2025"
    shutil.copytree(LIBRARY_DIR / "safe2025", edited)
    first = sorted((edited / "headings").glob("*.yaml"))[0]
    text = first.read_text()
    weight = re.search(r"weight: (\d)", text)
    changed = "1" if weight.group(1) != "1" else "2"
    first.write_text(text[: weight.start(1)] + changed + text[weight.end(1) :])
    out = io.StringIO()
    call_command("catalogue", "diff", str(LIBRARY_DIR / "safe2025"), str(edited), stdout=out)
    assert out.getvalue().startswith("~ urn:openaeo:safe2025:") and "(weight)" in out.getvalue()


def test_comparing_eu_style_and_india_style(programmes):
    eu, india = programmes["eu-style"], programmes["india-style"]
    catalogue = eu.catalogue_version.content
    rows = compare_programmes(catalogue, eu.config, india.config, tier_a="aeoc", tier_b="t1")
    requirements = [row for row in rows if row.kind == "requirement"]
    assert requirements and all(row.status == "both" for row in requirements)
    thresholds = {row.item: (row.a, row.b, row.status) for row in rows if row.kind == "threshold"}
    assert thresholds["min_customs_documents_per_year"] == ("", "25", "differs")
    assert thresholds["compliance_lookback_years"] == ("3", "3", "same")
    assert thresholds["min_years_in_business"] == ("0", "3", "differs")
    assert thresholds["solvency_lookback_years"] == ("3", "", "differs")
    full = compare_programmes(catalogue, eu.config, india.config, tier_a="aeoc", tier_b="t2")
    only_india = [row for row in full if row.status == "only_b"]
    assert only_india and all(row.kind == "requirement" for row in only_india)
    security_ids = {
        r["id"]
        for h in catalogue["headings"]
        for r in h["requirements"]
        if "compliance" not in r["tiers"]
    }
    assert {row.item for row in only_india} == security_ids


def test_comparison_page_and_csv(client, programmes):
    query = {
        "a": "urn:openaeo:programme:eu-style",
        "b": "urn:openaeo:programme:india-style",
        "tier_a": "aeoc",
        "tier_b": "t1",
    }
    page = client.get("/programme/compare/", query)
    assert page.status_code == 200 and "thresholds differ" in page.content.decode()
    response = client.get("/programme/compare/", query | {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["kind", "item", "heading", query["a"], query["b"], "status"]
    assert ["threshold", "min_customs_documents_per_year", "", "", "25", "differs"] in rows
