"""Certificates over the API: the holder's people fetch their credential."""

from typing import Annotated

from django.http import HttpResponse
from ninja import Path, Router

from openaeo.certificates import credentials, selectors
from openaeo.common.api_policy import requires
from openaeo.common.api_support import problems
from openaeo.common.permissions import SIGNED_IN

router = Router(tags=["Certificates"])

CREDENTIAL_RESPONSE = {
    200: {
        "description": "The certificate as a W3C Verifiable Credential secured as a JWT "
        "(EdDSA, verify with `/.well-known/jwks.json`).",
        "content": {credentials.MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/{path:aeo_number}/credential",
    response={200: None, **problems(400, 401, 403, 404)},
    url_name="certificate_credential",
    summary="Download a certificate's verifiable credential",
    openapi_extra={"responses": CREDENTIAL_RESPONSE},
)
@requires(SIGNED_IN)
def certificate_credential(
    request,
    aeo_number: Annotated[
        str, Path(max_length=64, description='The AEO number, such as "ZZ AEO1 00042/26".')
    ],
):
    """The credential of the certificate with this AEO number, as a signed JWT
    (`application/vc+jwt`). Percent-encode the number's spaces and slash. A certificate
    the caller may not see answers 404, as if it did not exist."""
    certificate = selectors.certificate_by_number(request.user, aeo_number)
    return HttpResponse(
        credentials.certificate_jwt(certificate), content_type=credentials.MEDIA_TYPE
    )
