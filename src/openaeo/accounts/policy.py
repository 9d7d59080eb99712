"""Who may reach the account pages (allauth's and ours)."""

from openaeo.common.permissions import PUBLIC, SIGNED_IN, register_routes, staff_with

# Pages a person needs before or while signing in, or to recover an account.
_ALLAUTH_PUBLIC = [
    "account_login",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_password_reset_code",
    "account_complete_password_reset",
    "account_password_reset_completed",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_signup_by_passkey",
    "mfa_authenticate",
    "mfa_trust",
    "mfa_login_webauthn",
    "mfa_signup_webauthn",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "openid_connect_login",
    "openid_connect_callback",
]
# Pages about one's own account; allauth itself checks the person is signed in.
_ALLAUTH_SIGNED_IN = [
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_verify_phone",
    "account_change_phone",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",
    "mfa_edit_webauthn",
    "socialaccount_connections",
]

ANY_STAFF = staff_with()

register_routes(
    {name: PUBLIC for name in _ALLAUTH_PUBLIC}
    | {name: SIGNED_IN for name in _ALLAUTH_SIGNED_IN}
    | {
        "accounts:tokens": SIGNED_IN,
        "accounts:token_revoke": SIGNED_IN,
        "accounts:offices": ANY_STAFF,
    }
)
