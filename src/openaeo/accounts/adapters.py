"""How django-allauth fits OpenAEO: mail through tasks, staff sign-in only through SSO links."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model

from openaeo.common.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the request is still here), send from a background task."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        full_context.update(context)
        message = self.render_mail(template_prefix, email, full_context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        queue_email(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html_body=html_body,
            from_email=message.from_email,
        )


class StaffSsoAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect is for Customs staff whose account an administrator already created.

    Nobody becomes staff by signing in: the identity provider's verified e-mail must
    match an existing staff account, which is then linked.
    """

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        email = (sociallogin.user.email or "").strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.staff_roles:
            from allauth.core.exceptions import ImmediateHttpResponse
            from django.shortcuts import render

            raise ImmediateHttpResponse(render(request, "accounts/sso_refused.html", status=403))
