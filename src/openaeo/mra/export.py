"""The whole outgoing feed as one file, streamed: CSV, JSON or the signed zipped XML.

Shared by the API (/api/mra/v1/operators.csv and .zip) and `manage.py mra_export`, so a
file sent over the API and a file exchanged offline are written by the same code. Every
format is produced a chunk at a time from selectors.feed_records: memory does not grow
with the number of certificates.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from openaeo.common import clock
from openaeo.mra import feed, selectors, xml_files

FORMATS = ("csv", "json", "xml")
FILE_NAMES = {"csv": "aeo-operators.csv", "json": "aeo-operators.json", "xml": "aeo-operators.zip"}
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json", "xml": "application/zip"}


class Counted:
    """Records passed through, counted on the way (for a summary once the file is done)."""

    def __init__(self, records: Iterable[dict]):
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[dict]:
        for record in self._records:
            self.count += 1
            yield record


def chunks(
    file_format: str,
    records: Iterable[dict] | None = None,
    *,
    changed_since: dt.datetime | None = None,
    key=None,
) -> Iterator[bytes]:
    """The file's bytes, chunk by chunk. "xml" is the signed zip of the XML (key: the
    signing key, the administration's newest by default)."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown feed format {file_format!r}; one of {', '.join(FORMATS)}.")
    if records is None:
        records = selectors.feed_records(changed_since)
    if file_format == "csv":
        return feed.csv_chunks(records)
    if file_format == "json":
        return feed.json_chunks(records)
    if key is None:
        from openaeo.certificates import credentials

        key = credentials.signing_key()
    return xml_files.signed_zip_chunks(records, key, generated_at=clock.now().isoformat())
