from django.conf import settings
from django.core.management.base import BaseCommand

from openaeo.common import clock
from openaeo.common.signing_keys import ensure_key, list_keys


class Command(BaseCommand):
    help = "Manage the administration's signing keys: `keys init` creates the first one, `keys list` shows them."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "list"])

    def handle(self, *args, action, **options):
        keys_dir = settings.OPENAEO_KEYS_DIR
        if action == "init":
            key, created = ensure_key(keys_dir, now=clock.now())
            if created:
                self.stdout.write(f"Created signing key {key.kid} in {keys_dir}")
            return
        keys = list_keys(keys_dir)
        if not keys:
            self.stdout.write(f"No signing keys in {keys_dir}. Run `manage.py keys init`.")
        for key in keys:
            current = " (signs new documents)" if key is keys[-1] else ""
            self.stdout.write(f"{key.kid}  created {key.created}{current}")
