"""A short way through the stack for the busiest public call: GET /api/v1/verify/{number}.

Buyers, banks and partner administrations check AEO numbers far more often than anyone
uses the rest of the site, and most of the time a lookup took went into layers it does not
need: Django's full middleware chain (sessions, CSRF, messages, sign-in, staff MFA, route
policy, static files) and the API framework's routing and output validation.

`VerifyNumberFastPath` is the WSGI application gunicorn serves (openaeo.wsgi). It hands
every request to Django's own WSGI handler, except anonymous lookups by number, which it
answers itself with the same service, the same rate limit and the same bytes and headers
as the API operation (`verify_api.verify_number`); the tests compare the two answers.

It is Django's own WSGI handler with a shorter middleware chain, so a lookup keeps what
the handler does for any request: the script prefix, the request_started and
request_finished signals (which open, recycle and close database connections), the WSGI
request, the conversion of an exception into Django's error answer and the log line of an
answer of 400 or more. The chain is the two middleware that come first in
settings.MIDDLEWARE (request id and log context; then HTTPS redirect, HSTS, nosniff,
referrer and opener policies) around the answer; an error in the answer is answered by the
API's exception handlers, as within an operation. It adds what the skipped middleware add to
this answer: Content-Length, Content-Language and Vary, X-Frame-Options and the Content
Security Policy. What it leaves out: a signed-in browser that calls the API directly does
not have its session saved (the idle timeout is not pushed back by a lookup).

Everything else goes the long way: other methods, other paths, a request with an
`Authorization` header (the token gets its own rate limit and its checks there), a number
the operation would refuse (too long, or with a line break: 404 there), and a Host header
not in ALLOWED_HOSTS (400 there).
"""

from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_path_info
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

from openaeo.certificates import verification
from openaeo.certificates.verify_api import answer_out, limit_response

# The middleware every request meets first (settings.MIDDLEWARE starts with these; a test
# holds the two lists together), run here around the answer as Django would run them.
FRONT_MIDDLEWARE = (
    "openaeo.common.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
)

_PLACEHOLDER = "N"
# Where __call__ leaves the number for the answer, in the request's environ (META).
_NUMBER_KEY = "openaeo.verify_number"


def _route_prefix() -> str:
    """The path before the number, asked of the URL configuration so that a moved API
    cannot leave this answering at the old address. Without the script prefix: it is
    compared with PATH_INFO, which has none."""
    url = reverse("api-v1:verify_number", kwargs={"aeo_number": _PLACEHOLDER})
    return "/" + url[len(get_script_prefix()) : -len(_PLACEHOLDER)]


def _no_response(request):  # the two header middlewares only use process_response
    return None


class VerifyNumberFastPath(WSGIHandler):
    def __init__(self, django_application, api):
        """`api` is the NinjaAPI whose verification operation this path answers for
        (openaeo.api.api, passed in by openaeo.wsgi: the API is the layer above this app):
        its renderer and problem documents make the answer the operation's own."""
        self.django_application = django_application
        self.api = api
        self.prefix = None
        self.frame_options = XFrameOptionsMiddleware(_no_response)
        self.csp = ContentSecurityPolicyMiddleware(_no_response)
        super().__init__()  # loads the middleware chain below

    def load_middleware(self, is_async=False):
        """FRONT_MIDDLEWARE around the answer, wrapped as Django wraps each middleware."""
        chain = convert_exception_to_response(self._answer)
        for path in reversed(FRONT_MIDDLEWARE):
            chain = convert_exception_to_response(import_string(path)(chain))
        self._middleware_chain = chain

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
        # On a copy: building a request rewrites PATH_INFO, which Django must get as the
        # server gave it if the request goes the long way after all (a few microseconds,
        # against about 800 for the lookup).
        try:
            WSGIRequest(environ.copy()).get_host()
        except DisallowedHost:  # answered and logged the long way (400)
            return self.django_application(environ, start_response)
        environ[_NUMBER_KEY] = number
        return super().__call__(environ, start_response)

    def _answer(self, request):
        # As LocaleMiddleware would: the API has no language prefix in its paths.
        with translation.override(translation.get_language_from_request(request)):
            request.auth = "anonymous"
            try:
                response = limit_response(request)
                if response is None:
                    answer = answer_out(verification.verify_number(request.META[_NUMBER_KEY]))
                    response = self.api.create_response(request, answer, status=200)
            except Exception as error:  # the API's problem document, as for its operations
                response = self.api.on_exception(request, error)
            response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        # As CommonMiddleware does: a length, so that the server neither chunks the answer
        # nor closes an HTTP/1.0 proxy's connection.
        response.headers.setdefault("Content-Length", str(len(response.content)))
        self.frame_options.process_response(request, response)
        self.csp.process_response(request, response)
        return response
