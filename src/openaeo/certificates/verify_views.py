"""The public verification page: type an AEO number, arrive from the QR code, or upload
the credential file. No sign-in; rate-limited per client address."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openaeo.certificates import forms, verification


def _limited(request, wait: int):
    response = render(request, "certificates/verify_limited.html", {"seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    number_form = forms.VerifyNumberForm(request.GET if "n" in request.GET else None)
    credential_form = forms.VerifyCredentialForm()
    answer = None
    status = 200
    if request.method == "POST":
        credential_form = forms.VerifyCredentialForm(request.POST, request.FILES)
        if credential_form.is_valid():
            wait = verification.rate_limited(request)
            if wait is not None:
                return _limited(request, wait)
            answer = verification.verify_credential(credential_form.cleaned_data["credential"])
        else:
            status = 400
    elif number_form.is_bound:
        if number_form.is_valid():
            wait = verification.rate_limited(request)
            if wait is not None:
                return _limited(request, wait)
            answer = verification.verify_number(number_form.cleaned_data["n"])
        else:
            status = 400
    response = render(
        request,
        "certificates/verify.html",
        {"number_form": number_form, "credential_form": credential_form, "answer": answer},
        status=status,
    )
    # Answers change with the status: never cached, never indexed.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
