"""Customs staff must use a second factor (TOTP) before they can do anything else."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect

# Routes a staff member without MFA may still reach: setting it up, and leaving.
_ALLOWED_WITHOUT_MFA = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    "set_language",
    "web:home",
}


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(user, "is_machine", False):
            return None
        if not user.staff_roles:
            return None
        match = request.resolver_match
        if match is None or match.view_name in _ALLOWED_WITHOUT_MFA:
            return None
        if match.view_name.startswith("api"):
            return None  # the API uses tokens, which staff can create only after MFA
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if has_totp:
            return None
        return redirect("mfa_activate_totp")
