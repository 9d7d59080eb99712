"""Publishing catalogues and loading programmes, each with its audit event."""

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from openaeo.accounts.roles import StaffRole
from openaeo.catalogue.library import LIBRARY_DIR, load_catalogue
from openaeo.catalogue.models import CatalogueVersion, Programme
from openaeo.catalogue.programmes import validate_programme
from openaeo.common import clock
from openaeo.common.audit import record_event
from openaeo.common.audit_chain import canonical_json

SHIPPED_CATALOGUE = LIBRARY_DIR / "safe2025"
DEFAULT_PROGRAMME = "urn:openaeo:programme:safe-reference"

_MANAGERS = {StaffRole.PROGRAMME_MANAGER, StaffRole.ADMINISTRATOR}


def _check_manager(actor) -> None:
    if actor is not None and not (actor.staff_roles & _MANAGERS):
        raise PermissionDenied


def catalogue_publish(*, actor, path: Path = SHIPPED_CATALOGUE) -> tuple[CatalogueVersion, bool]:
    """Freeze a catalogue file as a version. Publishing the same content twice is a no-op.

    Returns the version and whether it was created. Different content under an
    already published revision is refused: the file's revision must be raised.
    """
    _check_manager(actor)
    content = load_catalogue(path)
    digest = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
    with transaction.atomic():
        existing = CatalogueVersion.objects.filter(
            urn=content["urn"], revision=content["revision"]
        ).first()
        if existing is not None:
            if existing.digest != digest:
                raise ValidationError(
                    f"{content['urn']} revision {content['revision']} is already published with other "
                    "content. Published versions never change: raise `revision` to publish the edits."
                )
            return existing, False
        version = CatalogueVersion.objects.create(
            urn=content["urn"],
            revision=content["revision"],
            title=content["title"],
            content=content,
            digest=digest,
            published_at=clock.now(),
            published_by=actor,
        )
        record_event(
            actor=actor,
            action="catalogue.publish",
            obj=version,
            after={"urn": version.urn, "revision": version.revision, "digest": digest},
        )
    return version, True


def latest_version(urn: str) -> CatalogueVersion | None:
    return CatalogueVersion.objects.filter(urn=urn).order_by("-revision").first()


def programme_save(
    *, actor, config: dict, make_default: bool | None = None
) -> tuple[Programme, bool]:
    """Create or update a programme from a validated configuration document."""
    _check_manager(actor)
    version = latest_version(config["catalogue"])
    if version is None:
        raise ValidationError(f"The catalogue {config['catalogue']} is not published yet.")
    problems = validate_programme(config, catalogue=version.content)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(urn=config["urn"]).first()
        before = programme.config if programme else None
        if (
            programme is not None
            and programme.config == config
            and programme.catalogue_version_id == version.pk
        ):
            return programme, False
        if programme is None:
            programme = Programme(urn=config["urn"])
        programme.config = config
        programme.catalogue_version = version
        programme.updated_at = clock.now()
        if make_default is not None:
            programme.is_default = make_default
        programme.save()
        if programme.is_default:
            Programme.objects.exclude(pk=programme.pk).filter(is_default=True).update(
                is_default=False
            )
        record_event(
            actor=actor,
            action="programme.save",
            obj=programme,
            before=before,
            after=config,
        )
    return programme, True


def programme_load(
    *, actor, path: Path, make_default: bool | None = None
) -> tuple[Programme, bool]:
    """Load a programme file (validated against the latest published version of its catalogue)."""
    from openaeo.catalogue.library import LibraryInvalid
    from openaeo.catalogue.programmes import read_programme
    from openaeo.catalogue.yaml_lines import to_plain

    document = read_programme(path)
    version = latest_version(document.get("catalogue")) if document.get("catalogue") else None
    problems = validate_programme(document, catalogue=version.content if version else None)
    if problems:
        raise LibraryInvalid(problems)
    return programme_save(actor=actor, config=to_plain(document), make_default=make_default)


def programme_update_from_text(
    *, actor, programme: Programme, text: str, seen_updated_at: str
) -> Programme:
    """Save a programme manager's edit of the configuration (YAML text from the edit page).

    Refuses an edit made on an out-of-date copy (someone saved in between), an
    edit that changes the programme's identity, and anything the validator
    rejects, naming line and node.
    """
    from openaeo.catalogue.library import LibraryInvalid, Problem
    from openaeo.catalogue.programmes import read_programme_text
    from openaeo.catalogue.yaml_lines import to_plain

    _check_manager(actor)
    if seen_updated_at != programme.updated_at.isoformat():
        raise ValidationError(
            "Someone saved this programme after you opened it. Reload the page to see their "
            "changes, then make yours again."
        )
    document = read_programme_text(text, "programme.yaml")
    if document.get("urn") != programme.urn:
        raise LibraryInvalid(
            [
                Problem(
                    "programme.yaml",
                    document.key_lines.get("urn", 1),
                    "urn",
                    f"must stay {programme.urn}",
                )
            ]
        )
    problems = validate_programme(document, catalogue=programme.catalogue_version.content)
    if problems:
        raise LibraryInvalid(problems)
    saved, _changed = programme_save(actor=actor, config=to_plain(document))
    return saved
