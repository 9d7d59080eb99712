"""Enforces the route policy for every request, before the view runs."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from openaeo.common.permissions import rule_for

logger = logging.getLogger(__name__)


class RoutePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match else ""
        rule = rule_for(view_name)
        if rule is None:
            # Fail closed: a route without a policy is refused for everyone.
            logger.error("No policy for route %r (%s); refusing", view_name, request.path)
            raise PermissionDenied
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        raise PermissionDenied
