"""Per-operation rules for the ninja API.

Every API operation is wrapped with `@requires(rule)`, inside its route
decorator::

    @router.get("/things", ...)
    @requires(SIGNED_IN)
    def thing_list(request): ...

The rule is checked after authentication and before the operation runs. An
anonymous caller is refused with 401, anyone else with 403. Object-level
questions stay with the selectors, which answer 404 for an object the caller may
not see. `tests/api/test_api_policy_matrix.py` fails if an operation has no rule.

Machine clients (OAuth2 client credentials) are authenticated but are not
people: a rule admits them only if it says so (`admits_machines`), as
`AUTHENTICATED` and `client_scope(...)` do. Every other rule (SIGNED_IN,
trader_side(), staff_with(...)) refuses them, so an operation written for people
cannot be reached by a system by accident.
"""

import functools
from dataclasses import dataclass

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError

from openaeo.common.permissions import PUBLIC, Rule


@dataclass(frozen=True)
class ApiRule(Rule):
    """A rule that may also admit machine clients."""

    admits_machines: bool = False
    # For client_scope(): the scope a machine token must carry.
    scope: str = ""


def is_machine(principal) -> bool:
    return bool(getattr(principal, "is_machine", False))


AUTHENTICATED = ApiRule(
    "any authenticated caller: a signed-in person or an API client",
    lambda user: user.is_authenticated,
    admits_machines=True,
)


def client_scope(scope: str) -> ApiRule:
    """API clients whose token was granted `scope`."""
    return ApiRule(
        f"API clients granted the scope {scope}",
        lambda user: is_machine(user) and scope in user.scopes,
        admits_machines=True,
        scope=scope,
    )


def admits_machines(rule: Rule) -> bool:
    return rule is PUBLIC or getattr(rule, "admits_machines", False)


def allows(rule: Rule, principal) -> bool:
    """Whether `rule` lets `principal` (a user, an API client or anonymous) through."""
    if is_machine(principal) and not admits_machines(rule):
        return False
    return rule.allows(principal)


def requires(rule: Rule):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not allows(rule, user):
                if not user.is_authenticated:
                    raise AuthenticationError()
                raise HttpError(403, _("You do not have permission to perform this action."))
            return func(request, *args, **kwargs)

        wrapper.openaeo_rule = rule

        def document(operation) -> None:
            # The OpenAPI document says who may call each operation.
            who = f"**Who may call:** {rule.description}"
            who += "." if admits_machines(rule) else " (people only, not API clients)."
            operation.description = f"{operation.description}\n\n{who}".strip()

        # A list of our own: functools.wraps shares the wrapped function's.
        wrapper._ninja_contribute_to_operation = [
            *getattr(func, "_ninja_contribute_to_operation", []),
            document,
        ]
        return wrapper

    return decorate
