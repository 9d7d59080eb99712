"""The OpenAEO API, version 1: each app contributes a router from its own api.py.

Mounted at /api/v1/ (openaeo.urls). The OpenAPI 3.1 document is at
/api/v1/openapi.json and the interactive documentation at /api/v1/docs.

Every operation carries a rule (`@requires`, openaeo.common.api_policy); errors
are RFC 9457 problem documents; lists are paginated with limit/offset
(openaeo.common.api_support).
"""

from openaeo.accounts.api import router as accounts_router
from openaeo.accounts.api_auth import default_auth
from openaeo.certificates.api import router as certificates_router
from openaeo.certificates.register_api import router as register_router
from openaeo.certificates.verify_api import router as verify_router
from openaeo.common.api import router as audit_router
from openaeo.common.api_support import (
    OpenAeoNinjaAPI,
    absolute_token_urls,
    docs,
    install_problem_handlers,
)
from openaeo.operators.api import router as operators_router
from openaeo.operators.me_api import router as me_router

api = OpenAeoNinjaAPI(
    title="OpenAEO API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Authorised Economic Operator programme: status, operators and audit trail.\n\n"
        "Authenticate with a personal token (`Authorization: Bearer oat_...`, created on "
        "your account page) or, for systems, with a token obtained through the OAuth2 "
        "client-credentials grant at `POST /api/v1/auth/token` (`Bearer oam_...`). "
        "Errors are RFC 9457 problem documents (`application/problem+json`). "
        "Lists take `limit` (at most 100) and `offset`, and answer "
        "`{count, next, previous, items}`."
    ),
    auth=default_auth(),
    docs=docs(),
    docs_decorator=absolute_token_urls,
)
install_problem_handlers(api)

api.add_router("", accounts_router)
api.add_router("", me_router)
api.add_router("/operators", operators_router)
api.add_router("/audit-events", audit_router)
api.add_router("/certificates", certificates_router)
api.add_router("/register", register_router)
api.add_router("/verify", verify_router)
