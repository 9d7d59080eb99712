"""The certificate as a PDF: the holder's language and English, one page each.

Each page carries two QR codes, drawn with segno as inline SVG (no network): the
verification address with the AEO number, which a phone opens at `/verify/?n=...`, and,
when it fits in a QR code, the credential itself for an offline verifier. The credential
file is also attached to the PDF, so it travels with the document.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from openaeo.certificates import credentials, selectors


def verification_url(certificate) -> str:
    """What the first QR code carries: the public verification page for this number."""
    query = urlencode({"n": certificate.aeo_number})
    return credentials.absolute(reverse("certificates:verify")) + "?" + query


def qr_svg_data_uri(content: str, *, error: str = "m") -> str | None:
    """An SVG QR code of `content` as a data: URI, or None if it cannot hold it."""
    import segno

    try:
        code = segno.make_qr(content, error=error)
    except segno.DataOverflowError:
        return None
    return code.svg_data_uri(scale=4, border=4)


def languages_for(certificate) -> list[str]:
    """The holder's language (the one its decision letter was written in), then English."""
    holder = (certificate.decision.language or "en").split("-")[0]
    return [holder, "en"] if holder != "en" else ["en"]


def file_name(certificate, extension: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in certificate.aeo_number).strip("-")
    return f"aeo-certificate-{safe}.{extension}"


def certificate_pdf(certificate) -> bytes:
    from weasyprint import HTML, Attachment

    token = credentials.certificate_jwt(certificate)
    url = verification_url(certificate)
    config = certificate.programme.config
    pages = [
        {
            "language": language,
            "bidi": translation.get_language_info(language)["bidi"],
            "tier": certificate.tier_label(language),
            "administration": _localized(config.get("administration"), language),
            "programme": _localized(config.get("name"), language),
        }
        for language in languages_for(certificate)
    ]
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "pages": pages,
            "verification_url": url,
            "url_qr": qr_svg_data_uri(url),
            "credential_qr": qr_svg_data_uri(token, error="l"),
        },
    )
    attachment = Attachment(
        string=token,
        name=file_name(certificate, "jwt"),
        description="Verifiable credential (application/vc+jwt)",
    )
    return HTML(string=html).write_pdf(attachments=[attachment])


def _localized(texts, language: str) -> str:
    if not isinstance(texts, dict):
        return str(texts or "")
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


@require_GET
def pdf_view(request, certificate_id: int):
    """The certificate as a PDF, for the holder's people and Customs staff."""
    certificate = selectors.certificate_visible_to(request.user, certificate_id)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(certificate, "pdf")}"'
    return response
