"""Mutual recognition from the command line.

    manage.py mra import PARTNER FILE [--ack ACK.json]
    manage.py mra keys PARTNER JWKS.json      record the partner's public keys

PARTNER is the partner administration's id or exact name.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openaeo.mra import feed, partner_keys, services
from openaeo.mra.models import PartnerAdministration


class Command(BaseCommand):
    help = "Import a partner administration's AEO feed file (JSON, CSV, XML or zipped XML)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("import", help="Import a partner's file.")
        load.add_argument("partner", help="The partner administration's id or exact name.")
        load.add_argument("file", type=Path)
        load.add_argument("--ack", type=Path, help="Write the acknowledgement (JSON) here.")
        keys = commands.add_parser(
            "keys", help="Record the partner's public keys (a JWKS file), replacing the old ones."
        )
        keys.add_argument("partner", help="The partner administration's id or exact name.")
        keys.add_argument("file", type=Path, help="The partner's JWKS document.")

    def handle(self, *args, **options):
        partner = _partner(options["partner"])
        if options["command"] == "keys":
            return self._keys(partner, Path(options["file"]))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            received, created = services.import_file(
                actor=None, partner=partner, data=data, file_name=path.name
            )
        except feed.FileRefused as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        ack = services.acknowledgement(received)
        if not created:
            self.stdout.write("This file was imported before; nothing changed.")
        self.stdout.write(
            "{records} records: {accepted} accepted, {unchanged} unchanged, {rejected} rejected; "
            "{matched} matched, {unmatched} waiting for review.".format(**ack)
        )
        for error in received.errors:
            self.stdout.write(f"  {error['where']}: {error['reason']}")
        if options["ack"]:
            ack_path = Path(options["ack"])
            ack_path.write_text(json.dumps(ack, indent=2))
            self.stdout.write(f"Acknowledgement written to {ack_path}.")

    def _keys(self, partner, path: Path):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            partner = services.partner_keys_set(actor=None, partner=partner, jwks=data)
        except partner_keys.KeysRefused as error:
            raise CommandError(f"The keys were not recorded: {error}") from None
        self.stdout.write(f"Keys recorded for {partner.name}: {', '.join(partner.key_ids)}.")


def _partner(value: str) -> PartnerAdministration:
    queryset = PartnerAdministration.objects.all()
    partner = (
        queryset.filter(pk=int(value)).first() if value.isdigit() else None
    ) or queryset.filter(name=value).first()
    if partner is None:
        raise CommandError(f"No partner administration {value!r}.")
    return partner
