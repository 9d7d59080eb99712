"""Small helpers that turn environment variables into settings values."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def read_secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else from var/secret_key.

    `make run` creates var/secret_key on first start (scripts/dev_setup); a
    deployment sets SECRET_KEY or SECRET_KEY_FILE. There is no built-in default,
    so a forgotten secret stops the start-up instead of weakening signatures.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = Path(os.environ.get("SECRET_KEY_FILE", var_dir / "secret_key"))
    if key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        f"No SECRET_KEY: set SECRET_KEY or SECRET_KEY_FILE, or run `make run` once to "
        f"create {key_file}."
    )


def new_secret() -> str:
    return secrets.token_urlsafe(50)
