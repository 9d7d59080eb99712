"""What the annual self-review starts from: the requirements in the certificate's scope,
with what the holder last said about each.

The first review starts from the answers of the self-assessment the case pinned (its
latest submitted revision); later ones start from the previous year's review, answers
and explanations included, so the holder only changes what changed.
"""

from django.utils.translation import gettext_noop

from openaeo.catalogue.proportionality import TierScope, requirements_in_scope

YES_NO_LABELS = {
    "yes": {"en": gettext_noop("Yes")},
    "no": {"en": gettext_noop("No")},
    "partly": {"en": gettext_noop("Partly")},
}


def _said(question: dict, answer: dict) -> dict:
    value = answer.get("value", "")
    label = None
    for option in question.get("options") or []:
        if option.get("value") == value:
            label = option.get("label")
    if label is None:
        label = YES_NO_LABELS.get(value, {"en": value})
    return {
        "question": question.get("text", {}),
        "value": label,
        "explanation": answer.get("explanation", ""),
    }


def _latest_revision(certificate):
    from openaeo.cases.models import ApplicationRevision

    return (
        ApplicationRevision.objects.filter(application_id=certificate.decision.application_id)
        .select_related("assessment__programme", "assessment__catalogue_version")
        .order_by("-number")
        .first()
    )


def _item(heading: dict, requirement: dict) -> dict:
    return {
        "requirement": requirement["id"],
        "heading": heading["id"],
        "title": requirement.get("title", {}),
        "statement": requirement.get("statement", {}),
        "said": [],
        "last_answer": "",
        "last_explanation": "",
        "answer": "",
        "explanation": "",
    }


def items_from_assessment(certificate) -> list[dict]:
    """One item per requirement in scope, with the answers the case pinned."""
    from openaeo.assessments.selectors import asked

    revision = _latest_revision(certificate)
    if revision is None:
        return items_from_catalogue(certificate)
    answers = revision.snapshot.get("answers", {})
    items: dict[str, dict] = {}
    for heading, requirement, question in asked(revision.assessment):
        item = items.setdefault(requirement["id"], _item(heading, requirement))
        if question["id"] in answers:
            item["said"].append(_said(question, answers[question["id"]]))
    return list(items.values())


def items_from_catalogue(certificate) -> list[dict]:
    """Without a pinned self-assessment (a certificate migrated from paper, say): the
    requirements of the tier's scope for the roles the certificate covers, nothing said."""
    programme = certificate.programme
    tier = programme.tier(certificate.tier_code) or {}
    roles = (certificate.scope or {}).get("roles") or []
    return [
        _item(heading, requirement)
        for heading, requirement in requirements_in_scope(
            programme.catalogue_version.content, TierScope.from_config(tier), roles
        )
    ]


def items_from_last_review(last) -> list[dict]:
    items = []
    for old in last.items:
        item = dict(old)
        item["last_answer"] = old.get("answer", "")
        item["last_explanation"] = old.get("explanation", "")
        items.append(item)
    return items


def starting_items(certificate) -> list[dict]:
    from openaeo.monitoring.models import SelfReview

    last = (
        SelfReview.objects.filter(certificate=certificate, submitted_at__isnull=False)
        .order_by("-year")
        .first()
    )
    if last is not None:
        return items_from_last_review(last)
    return items_from_assessment(certificate)
