"""Production: the base settings with production-grade defaults.

Every value still comes from the environment (docs/operations.md); this module only
changes defaults that must be strict when nobody sets them.
"""

import os

from openaeo.settings.base import *  # noqa: F403

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
