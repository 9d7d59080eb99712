import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from openaeo.catalogue import services
from openaeo.catalogue.diff import diff_catalogues
from openaeo.catalogue.library import LibraryInvalid, load_catalogue
from openaeo.catalogue.models import CatalogueVersion, Programme
from openaeo.catalogue.proportionality import SIZE_CLASSES, TierScope, questions_for

ROLES = [
    "importer",
    "exporter",
    "manufacturer",
    "customs_broker",
    "freight_forwarder",
    "carrier",
    "warehouse_keeper",
    "terminal_operator",
]


class Command(BaseCommand):
    help = "Validate, publish, compare and count the criteria catalogue."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        validate = actions.add_parser("validate", help="Check a catalogue file or folder.")
        validate.add_argument("path", type=Path)
        publish = actions.add_parser("publish", help="Freeze a catalogue as a published version.")
        publish.add_argument("path", type=Path, nargs="?", default=services.SHIPPED_CATALOGUE)
        diff = actions.add_parser(
            "diff", help="Requirements added, removed and changed between A and B."
        )
        diff.add_argument("a", help="a catalogue path, or URN@REVISION of a published version")
        diff.add_argument("b")
        stats = actions.add_parser(
            "stats", help="How many questions each size and role is asked, per programme tier."
        )
        stats.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except LibraryInvalid as error:
            raise CommandError(f"{len(error.problems)} problem(s):\n{error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _validate(self, path, **options):
        content = load_catalogue(path)
        questions = sum(len(r["questions"]) for h in content["headings"] for r in h["requirements"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: valid ({len(content['headings'])} headings, {questions} questions, "
                f"{len(content['templates'])} templates)."
            )
        )

    def _publish(self, path, **options):
        version, created = services.catalogue_publish(actor=None, path=path)
        verb = "Published" if created else "Already published, unchanged:"
        self.stdout.write(f"{verb} {version.urn} revision {version.revision}.")

    def _content(self, reference: str) -> dict:
        if "@" in reference and not Path(reference).exists():
            urn, _, revision = reference.rpartition("@")
            version = CatalogueVersion.objects.filter(urn=urn, revision=revision).first()
            if version is None:
                raise CommandError(f"No published version {reference}.")
            return version.content
        return load_catalogue(Path(reference))

    def _diff(self, a, b, **options):
        result = diff_catalogues(self._content(a), self._content(b))
        if result.is_empty:
            self.stdout.write("No requirement changed.")
            return
        for requirement_id in result.added:
            self.stdout.write(f"+ {requirement_id}")
        for requirement_id in result.removed:
            self.stdout.write(f"- {requirement_id}")
        for requirement_id, fields in result.changed:
            self.stdout.write(f"~ {requirement_id} ({', '.join(fields)})")

    def _stats(self, as_json, **options):
        rows = []
        for programme in Programme.objects.select_related("catalogue_version"):
            catalogue = programme.catalogue_version.content
            for tier in programme.config["tiers"]:
                scope = TierScope.from_config(tier)
                for size_class in SIZE_CLASSES:
                    for role in ROLES:
                        count = len(
                            questions_for(catalogue, scope, size_class=size_class, roles=[role])
                        )
                        rows.append(
                            {
                                "programme": programme.urn,
                                "tier": tier["code"],
                                "size_class": size_class,
                                "role": role,
                                "questions": count,
                            }
                        )
        if as_json:
            self.stdout.write(json.dumps(rows, indent=1))
            return
        if not rows:
            self.stdout.write("No programme is loaded. Run `manage.py programme load FILE`.")
        for row in rows:
            self.stdout.write(
                f"{row['programme']}  {row['tier']:<9} {row['size_class']:<7} {row['role']:<18} {row['questions']}"
            )
