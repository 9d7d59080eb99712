"""Route-level permission rules and the registry every app fills from its policy module.

Each app declares, in its own `policy.py`, one rule for every URL name it
serves (`register_routes`). `RoutePolicyMiddleware` looks the rule up before any
view runs, so a route that nobody gave a rule is refused (and the policy test
fails). Object-level questions ("may this user see this operator?") are
answered by the app's policy functions, used by its selectors, which answer
"not found" rather than "forbidden" so that a refusal never reveals that an
object exists.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Rule:
    """Who may reach a route. `check` sees only the user, never an object."""

    description: str
    check: Callable[[object], bool]
    # API routes are mounted once for the whole ninja API; each operation then
    # carries its own rule (openaeo.common.api_policy).
    delegated_to_api: bool = False

    def allows(self, user) -> bool:
        return bool(self.check(user))


PUBLIC = Rule("anyone, signed in or not", lambda user: True)
SIGNED_IN = Rule("any signed-in user", lambda user: user.is_authenticated)
API_OPERATIONS = Rule("decided per API operation", lambda user: True, delegated_to_api=True)


def staff_with(*roles: str) -> Rule:
    """Customs staff holding at least one of `roles` (all staff when none are given)."""

    def check(user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        held = user.staff_roles
        return bool(held) if not roles else bool(held & set(roles))

    names = ", ".join(roles) if roles else "any role"
    return Rule(f"Customs staff ({names})", check)


def trader_side() -> Rule:
    """Signed-in users who are not Customs staff: operator members, representatives, newcomers."""
    return Rule(
        "trader side (signed in, not Customs staff)",
        lambda user: user.is_authenticated and not user.staff_roles,
    )


_ROUTES: dict[str, Rule] = {}


def register_routes(rules: dict[str, Rule]) -> None:
    for name, rule in rules.items():
        if name in _ROUTES and _ROUTES[name] is not rule:
            raise ImproperlyConfigured(f"Two policies claim the route {name!r}")
        _ROUTES[name] = rule


def rule_for(view_name: str) -> Rule | None:
    """The rule for a resolved view name: exact, else its namespace's wildcard ("admin:*")."""
    if view_name in _ROUTES:
        return _ROUTES[view_name]
    namespace = view_name.rpartition(":")[0]
    while namespace:
        if (rule := _ROUTES.get(f"{namespace}:*")) is not None:
            return rule
        namespace = namespace.rpartition(":")[0]
    return None


def registered_routes() -> dict[str, Rule]:
    return dict(_ROUTES)
