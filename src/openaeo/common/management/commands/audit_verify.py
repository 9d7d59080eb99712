from django.core.management.base import BaseCommand, CommandError

from openaeo.common.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and name the first event that does not verify."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at event #{broken.sequence}: {broken.reason}. "
                f"{checked} events read."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events verified."))
