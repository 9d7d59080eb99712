from django.conf import settings
from django.core.management.base import BaseCommand

from openaeo.common import clock
from openaeo.common.signing_keys import create_key, ensure_key, list_keys


class Command(BaseCommand):
    help = (
        "Manage the administration's signing keys: `init` creates the first one, `rotate` adds a "
        "new one that signs from now on (older keys keep verifying), `list` shows them."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "rotate", "list"])

    def handle(self, *args, action, **options):
        keys_dir = settings.OPENAEO_KEYS_DIR
        if action == "init":
            key, created = ensure_key(keys_dir, now=clock.now())
            if created:
                self.stdout.write(f"Created signing key {key.kid} in {keys_dir}")
            return
        if action == "rotate":
            key = create_key(keys_dir, now=clock.now())
            self.stdout.write(
                f"Created signing key {key.kid}; it signs from now on. "
                f"{len(list_keys(keys_dir)) - 1} older key(s) kept for verification."
            )
            return
        keys = list_keys(keys_dir)
        if not keys:
            self.stdout.write(f"No signing keys in {keys_dir}. Run `manage.py keys init`.")
        for key in keys:
            current = " (signs new documents)" if key is keys[-1] else ""
            self.stdout.write(f"{key.kid}  created {key.created}{current}")
