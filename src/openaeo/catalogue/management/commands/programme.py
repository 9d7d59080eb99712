from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from openaeo.catalogue import services
from openaeo.catalogue.library import LibraryInvalid


class Command(BaseCommand):
    help = "Load a national programme file (validated against its published catalogue)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="Create or update a programme from FILE.")
        load.add_argument("path", type=Path)
        load.add_argument(
            "--default", action="store_true", help="Show it to the public by default."
        )

    def handle(self, *args, action, path, default, **options):
        try:
            programme, changed = services.programme_load(
                actor=None, path=path, make_default=True if default else None
            )
        except LibraryInvalid as error:
            raise CommandError(f"{len(error.problems)} problem(s):\n{error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        state = "loaded" if changed else "unchanged"
        self.stdout.write(f"{programme.urn}: {state}.")
