"""Reading programmes and catalogue versions."""

from django.http import Http404

from openaeo.catalogue.models import Programme


def public_programme(urn: str | None = None) -> Programme:
    """The programme shown to the public: the one asked for, else the default, else the first."""
    programmes = Programme.objects.select_related("catalogue_version")
    if urn:
        programme = programmes.filter(urn=urn).first()
    else:
        programme = programmes.filter(is_default=True).first() or programmes.first()
    if programme is None:
        raise Http404("No AEO programme is configured yet.")
    return programme


def headings_in_scope(programme: Programme, tier: dict) -> list[dict]:
    """The tier's headings with only their in-scope requirements (for any role)."""
    from openaeo.catalogue.proportionality import TierScope

    scope = TierScope.from_config(tier)
    result = []
    for heading in programme.catalogue_version.content["headings"]:
        requirements = [r for r in heading["requirements"] if scope.covers(r, heading["id"])]
        if requirements:
            result.append({**heading, "requirements": requirements})
    return result


def template_by_slug(programme: Programme, slug: str) -> dict:
    urn = f"{programme.catalogue_version.urn}:template:{slug}"
    for template in programme.catalogue_version.content["templates"]:
        if template["id"] == urn:
            return template
    raise Http404
