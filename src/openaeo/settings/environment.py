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


_MAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}


def mail_settings(var_dir: Path) -> dict:
    """One MAILERS entry from EMAIL_* environment variables (docs/operations.md#mail)."""
    name = os.environ.get("EMAIL_BACKEND", "file")
    backend = _MAIL_BACKENDS.get(name, name)
    options: dict = {}
    if backend == _MAIL_BACKENDS["file"]:
        options["file_path"] = os.environ.get("EMAIL_FILE_PATH", str(var_dir / "mail"))
    elif backend == _MAIL_BACKENDS["smtp"]:
        if not os.environ.get("EMAIL_HOST"):
            raise ImproperlyConfigured("EMAIL_BACKEND=smtp needs EMAIL_HOST")
        options = {
            "host": os.environ["EMAIL_HOST"],
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        }
    return {"BACKEND": backend, "OPTIONS": options}
