"""Broken library files fail with a message naming file, line and node."""

import textwrap

import pytest

from openaeo.catalogue.library import LibraryInvalid, load_catalogue
from openaeo.catalogue.programmes import load_programme

pytestmark = pytest.mark.domain

GOOD = """
kind: catalogue
urn: urn:openaeo:test
revision: 1
title: {en: Test, fr: Test}
description: {en: A test catalogue, fr: Un catalogue de test}
source: tests
languages: {complete: [en, fr], partial: [es]}
headings:
  - id: urn:openaeo:test:seals
    ref: "7"
    title: {en: Seals, fr: Scellés, es: Precintos}
    intro: {en: About seals, fr: Sur les scellés}
    requirements:
      - id: urn:openaeo:test:seals:check
        ref: "7.1"
        title: {en: Seal checks, fr: Contrôle des scellés, es: Control de precintos}
        statement: {en: Check seals, fr: Vérifier les scellés}
        why: {en: Goods stay intact, fr: Les marchandises restent intactes}
        guidance: {en: Look at each seal, fr: Regardez chaque scellé}
        evidence: {en: A seal log, fr: Un registre des scellés}
        means:
          micro: {en: A named person checks, fr: Une personne nommée vérifie}
          small: {en: A short routine, fr: Une courte routine}
          medium: {en: A written procedure, fr: Une procédure écrite}
          large: {en: An audited procedure, fr: Une procédure auditée}
        roles: all
        tiers: [security]
        importance: knockout
        weight: 5
        templates: [urn:openaeo:test:template:seal-log]
        questions:
          - id: urn:openaeo:test:seals:check:who
            text: {en: "Who checks the seals?", fr: "Qui vérifie les scellés ?", es: "¿Quién revisa los precintos?"}
            answer: yes_no_partly
templates:
  - id: urn:openaeo:test:template:seal-log
    title: {en: Seal log, fr: Registre des scellés, es: Registro de precintos}
    purpose: {en: Record seals, fr: Noter les scellés}
    body: {en: "Date ____", fr: "Date ____"}
"""


def _write(tmp_path, text):
    path = tmp_path / "catalogue.yaml"
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def _problems(tmp_path, text) -> list[str]:
    with pytest.raises(LibraryInvalid) as error:
        load_catalogue(_write(tmp_path, text))
    return [str(problem) for problem in error.value.problems]


def test_the_good_file_loads(tmp_path):
    content = load_catalogue(_write(tmp_path, GOOD))
    assert content["headings"][0]["requirements"][0]["questions"][0]["answer"] == "yes_no_partly"


def test_an_unknown_key_is_named_with_its_line(tmp_path):
    broken = GOOD.replace("        weight: 5\n", "        weight: 5\n        colour: red\n")
    (problem,) = _problems(tmp_path, broken)
    line = textwrap.dedent(broken).lstrip().splitlines().index("        colour: red") + 1
    assert problem.startswith(f"{tmp_path / 'catalogue.yaml'}:{line}: urn:openaeo:test:seals:check")
    assert "unknown key 'colour'" in problem


def test_a_missing_required_translation_is_named(tmp_path):
    broken = GOOD.replace(
        "why: {en: Goods stay intact, fr: Les marchandises restent intactes}",
        "why: {en: Goods stay intact}",
    )
    (problem,) = _problems(tmp_path, broken)
    assert "urn:openaeo:test:seals:check" in problem
    assert "why: missing translation in fr" in problem
    line = (
        textwrap.dedent(broken).lstrip().splitlines().index("        why: {en: Goods stay intact}")
        + 1
    )
    assert f"catalogue.yaml:{line}:" in problem


def test_a_missing_partial_translation_is_named(tmp_path):
    broken = GOOD.replace(', es: "¿Quién revisa los precintos?"', "")
    (problem,) = _problems(tmp_path, broken)
    assert (
        "urn:openaeo:test:seals:check:who" in problem
        and "text: missing translation in es" in problem
    )


def test_a_duplicate_id_names_both_places(tmp_path):
    broken = GOOD.replace("urn:openaeo:test:seals:check:who", "urn:openaeo:test:seals:check")
    (problem,) = _problems(tmp_path, broken)
    assert "duplicate id" in problem and "first used at" in problem


def test_a_dangling_template_reference_is_named(tmp_path):
    broken = GOOD.replace(
        "templates: [urn:openaeo:test:template:seal-log]",
        "templates: [urn:openaeo:test:template:gone]",
    )
    (problem,) = _problems(tmp_path, broken)
    assert "urn:openaeo:test:template:gone, which does not exist" in problem
    assert "urn:openaeo:test:seals:check" in problem


def test_a_yaml_syntax_error_names_the_line(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace('ref: "7"', 'ref: ["7"'))
    assert str(tmp_path / "catalogue.yaml") in problem and "yaml" in problem


def test_a_programme_with_a_dangling_requirement_is_named(tmp_path):
    from openaeo.catalogue.programmes import PROGRAMME_DIR

    text = (PROGRAMME_DIR / "safe-reference.yaml").read_text()
    text = text.replace(
        "      families: [compliance]\n",
        "      families: [compliance]\n      include: [urn:openaeo:safe2025:nowhere]\n",
        1,
    )
    path = tmp_path / "programme.yaml"
    path.write_text(text)
    catalogue = {"urn": "urn:openaeo:safe2025", "headings": []}
    with pytest.raises(LibraryInvalid) as error:
        load_programme(path, catalogue=catalogue)
    (problem,) = [str(p) for p in error.value.problems]
    assert (
        f"{path}:" in problem and "entry" in problem and "urn:openaeo:safe2025:nowhere" in problem
    )
