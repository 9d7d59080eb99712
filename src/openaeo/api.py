"""The OpenAEO API, version 1: each app contributes a router from its own api.py."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="OpenAEO API",
    version="1",
    urls_namespace="api-v1",
    description="Authorised Economic Operator programme: status, operators and audit trail.",
)
