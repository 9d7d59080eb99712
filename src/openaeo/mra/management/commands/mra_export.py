"""Our AEO certificates as a feed file, for administrations that exchange files offline.

    manage.py mra_export --format csv|json|xml --output FILE [--changed-since WHEN]

xml writes the signed zip (aeo-operators.xml, its .sha256 and its .jws), as the API's
/api/mra/v1/operators.zip. The file is written by the same streaming code as the API:
memory stays flat however many certificates there are. It is written beside FILE under a
temporary name and renamed when complete, so FILE is never left half written. `--output -`
writes to standard output.
"""

import datetime as dt
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from openaeo.mra import export, selectors


def moment(value: str) -> dt.datetime:
    """An ISO 8601 moment or day (a day means its start); without an offset, local time."""
    text = value.strip()
    try:
        parsed = parse_datetime(text)
        if parsed is None and (day := parse_date(text)) is not None:
            parsed = dt.datetime.combine(day, dt.time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise CommandError(
            f"--changed-since {value!r} is not a date or moment such as 2026-11-01 or "
            "2026-11-01T00:00:00Z."
        )
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Write our AEO certificates as a feed file: CSV, JSON or signed zipped XML."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=export.FORMATS, required=True)
        parser.add_argument(
            "--output", required=True, help="The file to write, or - for standard output."
        )
        parser.add_argument(
            "--changed-since",
            type=str,
            help="Only certificates issued or whose status changed since then "
            "(2026-11-01 or 2026-11-01T00:00:00Z).",
        )

    def handle(self, *args, **options):
        since = moment(options["changed_since"]) if options["changed_since"] else None
        records = export.Counted(selectors.feed_records(since))
        chunks = export.chunks(options["format"], records)
        digest, size = hashlib.sha256(), 0
        if options["output"] == "-":
            out = sys.stdout.buffer
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            destination = "standard output"
        else:
            path = Path(options["output"])
            try:
                handle, temporary = tempfile.mkstemp(
                    dir=path.parent, prefix=f".{path.name}.", suffix=".part"
                )
            except OSError as error:
                raise CommandError(f"Cannot write in {path.parent}: {error}") from None
            try:
                with os.fdopen(handle, "wb") as out:
                    for chunk in chunks:
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            destination = str(path)
        # The summary goes to standard error when the file itself went to standard output.
        report = self.stderr if options["output"] == "-" else self.stdout
        report.write(
            f"{records.count} certificates, {size} bytes written to {destination}; "
            f"SHA-256 {digest.hexdigest()}."
        )
