from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openaeo.screening import services
from openaeo.screening.messages import import_problem_text


class Command(BaseCommand):
    help = (
        "Import a CSV or Parquet file of declarations: every row is valid, or nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        batch = services.declarations_import(actor=None, path=path, file_name=path.name)
        report = batch.report
        if batch.status == "imported":
            self.stdout.write(f"Imported {batch.rows_accepted} rows (import #{batch.pk}).")
            return
        for code in report.get("file_errors", []):
            self.stderr.write(import_problem_text(code))
        for row in report.get("rejects", []):
            reasons = "; ".join(import_problem_text(code) for code in row["reasons"])
            self.stderr.write(f"line {row['line']}: {reasons}")
        raise CommandError(
            f"Nothing imported: {batch.rows_rejected} of {batch.rows_total} rows rejected."
        )
