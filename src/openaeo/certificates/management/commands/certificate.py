from django.core.management.base import BaseCommand, CommandError

from openaeo.certificates import credentials, services
from openaeo.certificates.models import Certificate


class Command(BaseCommand):
    help = (
        "Certificates: `credential AEO_NUMBER` prints the certificate's verifiable credential "
        "(a JWT signed with the newest key); `status-lists` signs every status list again "
        "(after `keys rotate`, for instance)."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="action", required=True)
        credential = subcommands.add_parser("credential", help="print a certificate's credential")
        credential.add_argument("aeo_number")
        subcommands.add_parser("status-lists", help="sign every status list again")

    def handle(self, *args, action, **options):
        if action == "credential":
            certificate = (
                Certificate.objects.select_related("programme")
                .filter(aeo_number=options["aeo_number"])
                .first()
            )
            if certificate is None:
                raise CommandError(f"There is no certificate {options['aeo_number']!r}.")
            self.stdout.write(credentials.certificate_jwt(certificate))
            return
        numbers = sorted(set(services.StatusList.objects.values_list("number", flat=True)))
        for number in numbers:
            services.status_lists_refresh(number)
        self.stdout.write(f"Signed {len(numbers) * 2} status list(s) again.")
