"""Settings for the test suite: the base settings with fast, isolated values.

The database comes from TEST_DATABASE_URL (the PostgreSQL tier sets it); the
default is SQLite. Tasks run immediately so that a test sees their effect.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-use-anywhere-else-0123456789")
_test_var = Path(tempfile.mkdtemp(prefix="openaeo-test-"))
# Each test process gets its own scratch folder (database, mail, keys); remove it at exit.
atexit.register(shutil.rmtree, _test_var, ignore_errors=True)
os.environ.setdefault("OPENAEO_VAR_DIR", str(_test_var))
if os.environ.get("TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    # As production runs with persistent connections (docs/operations.md).
    os.environ.setdefault("DATABASE_PREPARED_STATEMENTS", "true")
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_test_var / 'test.sqlite3'}"

from openaeo.settings.base import *  # noqa: E402, F403
from openaeo.settings.base import DATABASES, VAR_DIR  # noqa: E402

DEBUG = False
SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
