import time

from django.core.management.base import BaseCommand, CommandError

from openaeo.common import clock
from openaeo.screening import demo
from openaeo.screening.store import store_from_settings


class Command(BaseCommand):
    help = (
        "Generate realistic, skewed customs declarations (many small traders, a few large "
        "ones) into the declaration store, including the registered businesses' identifiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--operators", type=int, default=1_000)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the store already holds declarations (for demo_data).",
        )
        parser.add_argument(
            "--screen", action="store_true", help="Then screen every registered business."
        )

    def handle(self, *args, rows, operators, if_empty, screen, **options):
        from openaeo.operators.models import EconomicOperator
        from openaeo.screening.models import ScreeningRun

        if rows < 1 or operators < 1:
            raise CommandError("--rows and --operators must be at least 1.")
        store = store_from_settings()
        if if_empty and store.query("SELECT 1 FROM {source} LIMIT 1", {}):
            if screen and not ScreeningRun.objects.exists():
                self._screen()
            return
        named = list(EconomicOperator.objects.order_by("pk").values_list("identifier", flat=True))
        started = time.monotonic()
        demo.generate(
            store,
            rows=rows,
            operators=operators,
            as_of=clock.today(),
            named=named,
        )
        self.stdout.write(
            f"{rows} declaration rows for {operators} operators written in "
            f"{time.monotonic() - started:.1f} s."
        )
        if screen:
            self._screen()

    def _screen(self):
        from openaeo.screening.services import screening_run_execute, system_run_create

        run = screening_run_execute(system_run_create(scope="all").pk)
        self.stdout.write(f"Screening #{run.pk}: {run.screened} screened, {run.flagged} flagged.")
