"""Public pages: "Is AEO for me?", what each tier asks and brings, and the model templates."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from openaeo.catalogue import selectors
from openaeo.catalogue.forms import GuideForm
from openaeo.catalogue.guide import GuideAnswers, advise
from openaeo.catalogue.templatetags.catalogue_text import pick

REASONS = {
    "serious_offences": _(
        "Customs first needs to see a clean record after a serious offence. Talk to our helpdesk: "
        "they can tell you when you can apply and how to show that the problem is fixed."
    ),
    "finances": _(
        "An AEO must be able to pay its debts. Once your taxes and bills are paid on time, come back: "
        "the rest of the programme will still be here."
    ),
    "few_declarations": _(
        "You do not yet trade often enough for your own certificate. You can still get faster "
        "clearance by using a customs broker who is an AEO."
    ),
    "young_business": _(
        "Your business is young. Customs needs a short track record first; meanwhile you can start "
        "the self-assessment to be ready."
    ),
    "minor_offences": _(
        "Small mistakes that you put right do not stop you. Be ready to say what happened and what "
        "you changed."
    ),
}
SIZE_NAMES = {
    "micro": _("a micro business"),
    "small": _("a small business"),
    "medium": _("a medium-sized business"),
    "large": _("a large business"),
}


def _benefits_of(programme, tier) -> list[dict]:
    benefits = {benefit["code"]: benefit for benefit in programme.config["benefits"]}
    return [benefits[code] for code in tier.get("benefits", []) if code in benefits]


def guide(request):
    programme = selectors.public_programme(request.GET.get("programme"))
    form = GuideForm(request.GET or None)
    advice = None
    context = {"programme": programme, "form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        advice = advise(
            programme.config,
            GuideAnswers(
                roles=tuple(data["roles"]),
                employees=data["employees"],
                turnover=data["turnover"],
                declarations=data["declarations"],
                years=data["years"],
                offences=data["offences"],
                finances=data["finances"],
                priority=data["priority"],
            ),
        )
        context.update(
            advice=advice,
            reasons=[REASONS[reason] for reason in advice.reasons],
            size_name=SIZE_NAMES[advice.size_class],
        )
        if advice.tier is not None:
            context.update(
                benefits=_benefits_of(programme, advice.tier),
                headings=selectors.headings_in_scope(programme, advice.tier),
            )
    return render(request, "catalogue/guide.html", context)


def tiers(request):
    programme = selectors.public_programme(request.GET.get("programme"))
    tier_pages = [
        {
            "tier": tier,
            "benefits": _benefits_of(programme, tier),
            "headings": selectors.headings_in_scope(programme, tier),
        }
        for tier in programme.config["tiers"]
    ]
    templates = [
        {"template": template, "slug": template["id"].rsplit(":", 1)[-1]}
        for template in programme.catalogue_version.content["templates"]
    ]
    return render(
        request,
        "catalogue/tiers.html",
        {"programme": programme, "tier_pages": tier_pages, "templates": templates},
    )


def template_download(request, slug: str):
    programme = selectors.public_programme(request.GET.get("programme"))
    template = selectors.template_by_slug(programme, slug)
    if request.GET.get("format") == "txt":
        title, body = pick(template["title"]), pick(template["body"])
        response = HttpResponse(f"{title}\n\n{body}\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(title) or slug}.txt"'
        return response
    return render(request, "catalogue/template.html", {"template": template, "slug": slug})


def compare(request):
    """Two programmes side by side, for administrations preparing a mutual recognition arrangement."""
    import csv

    from openaeo.catalogue.crosswalks import compare_programmes
    from openaeo.catalogue.models import Programme

    programmes = list(Programme.objects.select_related("catalogue_version"))
    by_urn = {programme.urn: programme for programme in programmes}
    a = by_urn.get(request.GET.get("a", ""))
    b = by_urn.get(request.GET.get("b", ""))
    context = {"programmes": programmes, "a": a, "b": b, "rows": None, "error": None}
    if a and b:
        if a.catalogue_version.urn != b.catalogue_version.urn:
            context["error"] = _(
                "These programmes use different catalogues; compare them through a crosswalk."
            )
        else:
            tier_a = request.GET.get("tier_a") or None
            tier_b = request.GET.get("tier_b") or None
            if (tier_a and not a.tier(tier_a)) or (tier_b and not b.tier(tier_b)):
                context["error"] = _("Choose a level that belongs to the programme.")
            else:
                rows = compare_programmes(
                    a.catalogue_version.content, a.config, b.config, tier_a=tier_a, tier_b=tier_b
                )
                if request.GET.get("format") == "csv":
                    response = HttpResponse(content_type="text/csv; charset=utf-8")
                    response["Content-Disposition"] = (
                        'attachment; filename="programme-comparison.csv"'
                    )
                    writer = csv.writer(response)
                    writer.writerow(["kind", "item", "heading", a.urn, b.urn, "status"])
                    for row in rows:
                        writer.writerow([row.kind, row.item, row.heading, row.a, row.b, row.status])
                    return response
                context["rows"] = rows
                context["counts"] = {
                    status: sum(1 for row in rows if row.status == status)
                    for status in ("both", "only_a", "only_b", "differs")
                }
    return render(request, "catalogue/compare.html", context)


def programme_manage_list(request):
    from openaeo.catalogue.models import Programme

    programmes = Programme.objects.select_related("catalogue_version").order_by("urn")
    return render(request, "catalogue/programme_manage_list.html", {"programmes": programmes})


def programme_edit(request, programme_id: int):
    import yaml
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import get_object_or_404, redirect

    from openaeo.catalogue import services
    from openaeo.catalogue.library import LibraryInvalid
    from openaeo.catalogue.models import Programme

    programme = get_object_or_404(
        Programme.objects.select_related("catalogue_version"), pk=programme_id
    )
    current_text = yaml.safe_dump(programme.config, allow_unicode=True, sort_keys=False, width=100)
    if request.GET.get("format") == "yaml":
        response = HttpResponse(current_text, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{programme.urn.rsplit(":", 1)[-1]}.yaml"'
        )
        return response
    text, problems, error = current_text, [], None
    seen = programme.updated_at.isoformat()
    if request.method == "POST":
        text = request.POST.get("config", "")
        seen = request.POST.get("seen_updated_at", "")
        try:
            services.programme_update_from_text(
                actor=request.user, programme=programme, text=text, seen_updated_at=seen
            )
        except LibraryInvalid as invalid:
            problems = invalid.problems
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("The programme is saved. Every change is in the audit trail.")
            )
            return redirect("catalogue:programme_edit", programme_id=programme.pk)
    status = 400 if (problems or error) else 200
    return render(
        request,
        "catalogue/programme_edit.html",
        {"programme": programme, "text": text, "problems": problems, "error": error, "seen": seen},
        status=status,
    )
