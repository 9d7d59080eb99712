"""Reading a partner's file, whatever its format (CSV, JSON lines, XML or zipped XML).

Apart from feed.py because the XML reader (xml_files.py) builds on the feed's fields and
records: the dispatch to it would make the two import each other.
"""

from django.utils.translation import gettext as _

from openaeo.mra import feed, xml_files


def parse(data: bytes, file_name: str = "") -> feed.Parsed:
    """Every record of the file, cleaned, and every record refused with its reason.

    Raises FileRefused when the file as a whole cannot be read.
    """
    file_format = feed.guess_format(data, file_name)
    if not data.strip():
        raise feed.FileRefused(_("The file is empty."))
    if file_format in ("xml", "zip"):
        rows = xml_files.xml_rows(xml_files.xml_from_zip(data) if file_format == "zip" else data)
    else:
        rows = feed.json_rows(data) if file_format == "json" else feed.csv_rows(data)
    parsed = feed.Parsed(file_format=file_format)
    seen: set[str] = set()
    for where, raw in rows:
        number = str(raw.get("aeo_number") or "") if isinstance(raw, dict) else ""
        try:
            record = feed.clean_record(raw)
            if record["aeo_number"] in seen:
                raise ValueError(_("The same AEO number appears earlier in the file."))
        except ValueError as error:
            parsed.errors.append({"where": where, "aeo_number": number[:64], "reason": str(error)})
            continue
        seen.add(record["aeo_number"])
        parsed.records.append((where, record))
    return parsed
