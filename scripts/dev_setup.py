"""First-run set-up for development: a secret key and signing keys under var/.

Idempotent: existing files are kept, so sessions and signatures survive restarts.
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("OPENAEO_VAR_DIR", ROOT / "var"))


def main() -> int:
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "mail").mkdir(exist_ok=True)
    secret_file = VAR / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50) + "\n")
        secret_file.chmod(0o600)
        print(f"Created a development secret key in {secret_file}")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openaeo.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("keys", "init")
    return 0


if __name__ == "__main__":
    sys.exit(main())
