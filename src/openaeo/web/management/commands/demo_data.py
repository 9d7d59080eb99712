from django.core.management import call_command
from django.core.management.base import BaseCommand

from openaeo.web import demo


class Command(BaseCommand):
    help = "Load the demonstration data (idempotent). With --accounts, print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Only print the demo accounts and how to sign in.",
        )

    def handle(self, *args, accounts, **options):
        if not accounts:
            created = demo.load()
            # Declarations for compliance screening, and one screening (docs/screening.md).
            call_command(
                "demo_declarations", rows=200_000, operators=2_000, if_empty=True, screen=True
            )
            summary = ", ".join(f"{count} {kind}" for kind, count in created.items() if count)
            self.stdout.write(f"Demo data loaded ({summary or 'nothing new: already there'}).")
            return
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        for account in demo.ACCOUNTS:
            self.stdout.write(f"  {account.email:<34} {account.role_label}")
        self.stdout.write(
            "Customs staff always sign in with a second factor. For a demo account, print the\n"
            "current six-digit code with:  .venv/bin/python manage.py demo_totp validator@"
            f"{demo.DEMO_DOMAIN}\n"
        )
