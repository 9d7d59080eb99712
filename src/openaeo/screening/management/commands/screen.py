from django.core.management.base import BaseCommand

from openaeo.screening import services


class Command(BaseCommand):
    help = "Screen every registered business now (or only certificate holders, --holders)."

    def add_arguments(self, parser):
        parser.add_argument("--holders", action="store_true")

    def handle(self, *args, holders, **options):
        if holders:
            run = services.rescreen_holders()
        else:
            run = services.screening_run_execute(services.system_run_create(scope="all").pk)
        self.stdout.write(f"Run #{run.pk}: {run.screened} screened, {run.flagged} flagged.")
