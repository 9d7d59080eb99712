"""The WSGI application gunicorn serves (docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openaeo.settings.production")
django_application = get_wsgi_application()

# Anonymous lookups by number answered before Django's middleware chain, everything else
# handed to Django: see certificates/verify_fast_path.py.
from openaeo.api import api  # noqa: E402 - after Django is set up
from openaeo.certificates.verify_fast_path import VerifyNumberFastPath  # noqa: E402

application = VerifyNumberFastPath(django_application, api)

# Load every URL pattern, and with them every view module and the API, now rather than on
# each worker's first request: with gunicorn --preload the workers are forked from this
# process and start warm, including those that replace a worker after --max-requests.
get_resolver().url_patterns  # noqa: B018
