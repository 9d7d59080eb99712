"""Manage the machine clients of the API (OAuth2 client credentials).

    manage.py api_client create "Revenue authority" --scope verify:read
    manage.py api_client list
    manage.py api_client deactivate oac_0123456789abcdef --reason "contract ended"

`create` prints the client id and its secret; the secret is shown this once and
only its digest is stored. A deactivated client can no longer obtain tokens, and
the tokens it holds stop working at once.
"""

from django.core.management.base import BaseCommand, CommandError

from openaeo.accounts import services
from openaeo.accounts.models import MachineClient
from openaeo.common.api_support import API_SCOPES


class Command(BaseCommand):
    help = "Create, list and deactivate the machine clients of the API."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = actions.add_parser("create", help="Create a client and print its secret once.")
        create.add_argument("name", help="Who the client is, e.g. 'Revenue authority'.")
        create.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            default=[],
            metavar="SCOPE",
            help=f"A scope to grant (repeatable). Known: {', '.join(sorted(API_SCOPES))}.",
        )

        actions.add_parser("list", help="List every client.")

        deactivate = actions.add_parser("deactivate", help="Switch a client off.")
        deactivate.add_argument("client_id")
        deactivate.add_argument("--reason", default="", help="Why, for the audit trail.")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options):
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the client a name.")
        unknown = sorted(set(options["scopes"]) - set(API_SCOPES))
        if unknown:
            raise CommandError(
                f"Unknown scope(s): {', '.join(unknown)}. "
                f"Known scopes: {', '.join(sorted(API_SCOPES))}."
            )
        client, secret = services.machine_client_create(
            actor=None, name=name, scopes=options["scopes"]
        )
        self.stdout.write(f"client_id:     {client.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(f"scopes:        {' '.join(client.scopes) or '(none)'}")
        self.stdout.write(
            self.style.WARNING("Store the secret now: it is not stored and cannot be shown again.")
        )

    def _list(self, options):
        clients = MachineClient.objects.order_by("name", "client_id")
        if not clients:
            self.stdout.write("No API clients.")
            return
        for client in clients:
            state = "active" if client.active else "inactive"
            scopes = " ".join(client.scopes) or "-"
            self.stdout.write(
                f"{client.client_id}  {state:<8}  {client.created_at:%Y-%m-%d}  "
                f"{client.name}  [{scopes}]"
            )

    def _deactivate(self, options):
        try:
            client = services.machine_client_deactivate(
                actor=None, client_id=options["client_id"], reason=options["reason"]
            )
        except MachineClient.DoesNotExist as error:
            raise CommandError(f"No API client {options['client_id']!r}.") from error
        self.stdout.write(self.style.SUCCESS(f"{client} is deactivated."))
