"""Account pages of our own: API tokens, and the office directory for staff."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openaeo.accounts import selectors, services
from openaeo.accounts.forms import ApiTokenForm


def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.api_token_create(
            actor=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = selectors.api_tokens_of(request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
    )


@require_POST
def api_token_revoke(request, token_id: int):
    token = selectors.api_tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s can no longer be used.") % {"name": token.name})
    return redirect("accounts:tokens")


def offices(request):
    visible = selectors.offices_visible_to(request.user)
    return render(
        request,
        "accounts/offices.html",
        {
            "offices": visible,
            "assignments": selectors.staff_of_offices(visible),
            "sees_all": selectors.visible_office_ids(request.user) is None,
        },
    )
