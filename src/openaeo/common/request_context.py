"""Who is asking, from where, under which request id.

The middleware stores the request id and client address in a context variable so
that services deep below a view can write them into audit events without every
caller passing the request down. Background tasks run with an empty context.
"""

import contextvars
import ipaddress
import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings

_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_address: str | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "openaeo_request_context", default=None
)


def current() -> RequestContext:
    return _current.get() or _EMPTY


def _client_address(request) -> str | None:
    # Behind a reverse proxy the address of the client is the last hop the proxy
    # appended; only trust it when the deployment says a proxy is in front.
    raw = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "OPENAEO_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(RequestContext(request_id, _client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current().request_id or "-"
        return True
