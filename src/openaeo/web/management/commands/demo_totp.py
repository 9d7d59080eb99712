from django.core.management.base import BaseCommand, CommandError

from openaeo.web import demo


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo Customs account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--secret",
            action="store_true",
            help="Print the TOTP secret instead, for an authenticator app.",
        )

    def handle(self, *args, email, secret, **options):
        staff_emails = {account.email for account in demo.ACCOUNTS if account.staff_role}
        if email not in staff_emails:
            raise CommandError(
                f"{email} is not a demo Customs account. Choose one of: {', '.join(sorted(staff_emails))}"
            )
        self.stdout.write(demo.demo_totp_secret(email) if secret else demo.current_totp_code(email))
