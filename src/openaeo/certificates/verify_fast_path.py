"""A short way through the stack for the busiest public call: GET /api/v1/verify/{number}.

Buyers, banks and partner administrations check AEO numbers far more often than anyone
uses the rest of the site, and most of the time a lookup took went into middleware it
does not need (sessions, CSRF, messages, sign-in, staff MFA, route policy) and into the
API framework's routing and output validation. This middleware answers anonymous lookups
by number itself, early in the chain, with the same service, the same rate limit and the
same bytes and headers as the API operation (`verify_api.verify_number`); the tests
compare the two answers.

Everything else goes the long way: other methods, other paths, a request with an
`Authorization` header (the token gets its own rate limit and its checks there), and a
number the operation would refuse (too long, or with a line break: 404 there).

It sits after SecurityMiddleware (HTTPS redirect, HSTS, nosniff, referrer and opener
policies) and RequestContextMiddleware (request id, logs), and it adds what the skipped
middleware adds to this answer: Content-Language and Vary, X-Frame-Options and the
Content Security Policy.
"""

from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from openaeo.certificates import verification

_PLACEHOLDER = "N"


def _prefix() -> str:
    # Where the API operation lives, asked of the URL configuration, so that a moved API
    # cannot leave this middleware answering at the old address.
    return reverse("api-v1:verify_number", kwargs={"aeo_number": _PLACEHOLDER})[
        : -len(_PLACEHOLDER)
    ]


def _no_response(request):  # the two header middlewares only use process_response
    return None


class VerifyNumberFastPath:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None
        self.frame_options = XFrameOptionsMiddleware(_no_response)
        self.csp = ContentSecurityPolicyMiddleware(_no_response)

    def _number(self, request) -> str | None:
        """The number asked about, when this request is one we answer here."""
        if request.method != "GET" or "authorization" in request.headers:
            return None
        if self.prefix is None:
            self.prefix = _prefix()
        path = request.path_info
        if not path.startswith(self.prefix):
            return None
        number = path[len(self.prefix) :]
        if not number or len(number) > verification.MAX_AEO_NUMBER or "\n" in number:
            return None
        return number

    def __call__(self, request):
        number = self._number(request)
        if number is None:
            return self.get_response(request)
        # Imported here: the API module builds the whole NinjaAPI on import.
        from openaeo.api import api
        from openaeo.certificates.verify_api import answer_out, limit_response

        # As LocaleMiddleware would: the API has no language prefix in its paths.
        with translation.override(translation.get_language_from_request(request)):
            request.auth = "anonymous"
            response = limit_response(request)
            if response is None:
                answer = answer_out(verification.verify_number(number))
                response = api.create_response(request, answer, status=200)
            response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        self.frame_options.process_response(request, response)
        self.csp.process_response(request, response)
        return response
