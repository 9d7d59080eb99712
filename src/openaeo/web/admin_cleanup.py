"""Remove admin pages that would change data without an audit event.

Allauth registers admin pages for e-mail addresses, authenticators and social
accounts. People manage these themselves through the account pages, whose
changes are audited; administrators deactivate accounts instead.
"""

from django.contrib import admin


def unregister_unaudited_admins() -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
    from django.contrib.auth.models import Group

    # Groups are unused: roles are StaffAssignments and operator memberships.
    for model in (EmailAddress, Authenticator, SocialAccount, SocialApp, SocialToken, Group):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
