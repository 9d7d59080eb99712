"""A short way through the stack for the busiest public call: GET /api/v1/verify/{number}.

Buyers, banks and partner administrations check AEO numbers far more often than anyone
uses the rest of the site, and most of the time a lookup took went into layers it does not
need: Django's full middleware chain (sessions, CSRF, messages, sign-in, staff MFA, route
policy, static files) and the API framework's routing and output validation.

`VerifyNumberFastPath` is the WSGI application gunicorn serves (openaeo.wsgi). It hands
every request to Django's own WSGI handler, except anonymous lookups by number, which it
answers itself with the same service, the same rate limit and the same bytes and headers
as the API operation (`verify_api.verify_number`); the tests compare the two answers.

What a lookup keeps from Django's handler, in the same order: the script prefix, the
request_started and request_finished signals (which open, recycle and close database
connections, as for any request), the WSGI request, the two middleware that come first in
settings.MIDDLEWARE (request id and log context; then HTTPS redirect, HSTS, nosniff,
referrer and opener policies), the conversion of an exception into Django's error answer,
and the log line of an answer of 400 or more; an error is answered by the API's
exception handlers, as within an operation. It adds what the skipped middleware add to
this answer: Content-Length, Content-Language and Vary, X-Frame-Options and the Content
Security Policy. What it leaves out: a signed-in browser that calls the API directly does
not have its session saved (the idle timeout is not pushed back by a lookup).

Everything else goes the long way: other methods, other paths, a request with an
`Authorization` header (the token gets its own rate limit and its checks there), a number
the operation would refuse (too long, or with a line break: 404 there), and a Host header
not in ALLOWED_HOSTS (400 there).
"""

from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_path_info, get_script_name
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.log import log_response
from django.utils.module_loading import import_string

from openaeo.certificates import verification

# The middleware every request meets first (settings.MIDDLEWARE starts with these; a test
# holds the two lists together), run here around the answer as Django would run them.
FRONT_MIDDLEWARE = (
    "openaeo.common.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
)

_PLACEHOLDER = "N"


def _route_prefix() -> str:
    """The path before the number, asked of the URL configuration so that a moved API
    cannot leave this answering at the old address. Without the script prefix: it is
    compared with PATH_INFO, which has none."""
    url = reverse("api-v1:verify_number", kwargs={"aeo_number": _PLACEHOLDER})
    return "/" + url[len(get_script_prefix()) : -len(_PLACEHOLDER)]


def _no_response(request):  # the two header middlewares only use process_response
    return None


class VerifyNumberFastPath:
    def __init__(self, django_application):
        self.django_application = django_application
        self.prefix = None
        answer = convert_exception_to_response(self._answer)
        for path in reversed(FRONT_MIDDLEWARE):
            answer = convert_exception_to_response(import_string(path)(answer))
        self._chain = answer
        self.frame_options = XFrameOptionsMiddleware(_no_response)
        self.csp = ContentSecurityPolicyMiddleware(_no_response)

    def _number(self, environ) -> str | None:
        """The number asked about, when this request is one answered here."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        if self.prefix is None:
            self.prefix = _route_prefix()
        path = get_path_info(environ)
        if not path.startswith(self.prefix):
            return None
        number = path[len(self.prefix) :]
        if not number or len(number) > verification.MAX_AEO_NUMBER or "\n" in number:
            return None
        return number

    def __call__(self, environ, start_response):
        number = self._number(environ)
        if number is None:
            return self.django_application(environ, start_response)
        # On a copy: building the request rewrites PATH_INFO, which Django must get as
        # the server gave it if the request goes the long way after all.
        request = WSGIRequest(environ.copy())
        try:
            request.get_host()
        except DisallowedHost:  # answered and logged the long way (400)
            return self.django_application(environ, start_response)
        # As django.core.handlers.wsgi.WSGIHandler does for every request.
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        request.verify_number = number
        response = self._chain(request)
        response._handler_class = self.__class__  # request_finished's sender, on close()
        response._resource_closers.append(request.close)
        if response.status_code >= 400:
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [
                *response.items(),
                *(("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()),
            ],
        )
        return response  # the server calls response.close(): request_finished

    def _answer(self, request):
        # Imported here: the API module builds the whole NinjaAPI on import.
        from openaeo.api import api
        from openaeo.certificates.verify_api import answer_out, limit_response

        # As LocaleMiddleware would: the API has no language prefix in its paths.
        with translation.override(translation.get_language_from_request(request)):
            request.auth = "anonymous"
            try:
                response = limit_response(request)
                if response is None:
                    answer = answer_out(verification.verify_number(request.verify_number))
                    response = api.create_response(request, answer, status=200)
            except Exception as error:  # the API's problem document, as for its operations
                response = api.on_exception(request, error)
            response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        # As CommonMiddleware does: a length, so that the server neither chunks the answer
        # nor closes an HTTP/1.0 proxy's connection.
        response.headers.setdefault("Content-Length", str(len(response.content)))
        self.frame_options.process_response(request, response)
        self.csp.process_response(request, response)
        return response
