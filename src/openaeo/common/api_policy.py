"""Per-operation rules for the ninja API.

Every API operation is wrapped with `@requires(rule)`. The rule is checked after
authentication and before the operation runs; a refusal is a 403 problem
document. `tests/common/test_policy_matrix.py` fails if an operation has no rule.
"""

import functools

from ninja.errors import AuthenticationError, HttpError

from openaeo.common.permissions import Rule


def requires(rule: Rule):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not rule.allows(user):
                if not user.is_authenticated:
                    raise AuthenticationError()
                raise HttpError(403, "You do not have permission to perform this action.")
            return func(request, *args, **kwargs)

        wrapper.openaeo_rule = rule
        return wrapper

    return decorate
