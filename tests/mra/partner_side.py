"""The partner administration's installation, for the round-trip test (test_second_database.py).

Run in its own process against its own, empty database:

    TEST_DATABASE_URL=... python -m tests.mra.partner_side < instructions.json

It migrates that database, then, for each file given, registers our administration as
its partner (with our public keys), imports the file twice through the real services and
answers every AEO number with the real verification service. Each file is imported in a
transaction rolled back at the end, so every file is judged on a database that has seen
no other. The answers go to standard output as JSON.
"""

import datetime as dt
import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openaeo.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from openaeo.certificates import verification
    from openaeo.mra import services

    instructions = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    today = dt.date.fromisoformat(instructions["today"])
    ours = instructions["administration"]
    results = {"database": connection.settings_dict["NAME"], "vendor": connection.vendor}
    for entry in instructions["files"]:
        with transaction.atomic():
            partner = services.partner_create(
                actor=None,
                name=ours["name"],
                country=ours["country"],
                arrangement=ours["arrangement"],
                active_from=dt.date(2000, 1, 1),
                data_elements=["name", "address", "status", "authorised_on", "identifier"],
            )
            services.partner_keys_set(actor=None, partner=partner, jwks=json.dumps(ours["jwks"]))
            with open(entry["path"], "rb") as handle:
                data = handle.read()
            first, created = services.import_file(
                actor=None, partner=partner, data=data, file_name=entry["name"]
            )
            again, created_again = services.import_file(
                actor=None, partner=partner, data=data, file_name=entry["name"]
            )
            results[entry["name"]] = {
                "import": {
                    "created": created,
                    "format": first.file_format,
                    **services.acknowledgement_counts(first),
                    "errors": first.errors,
                    "again_same_report": (not created_again) and again.pk == first.pk,
                },
                "answers": {
                    number: _plain(verification.verify_number(number, today=today).as_dict())
                    for number in instructions["numbers"]
                },
            }
            transaction.set_rollback(True)
    json.dump(results, sys.stdout)


def _plain(answer: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in answer.items()}  # fmt: skip


if __name__ == "__main__":
    main()
