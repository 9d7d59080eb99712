"""What certificates make of a case: the certificate a decision issues, confirms, suspends
or revokes, and the certificate that bars or is renewed by a new application.

cases is the layer below certificates and asks through its hooks (openaeo.cases.hooks);
CertificatesConfig.ready() registers these functions there.
"""

from openaeo.cases.models import (
    CONFIRMATIONS,
    GRANTS,
    Application,
    ApplicationKind,
    Decision,
    Outcome,
)
from openaeo.certificates import services
from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock


def certificates_follow_decision(decision: Decision, application: Application, actor) -> None:
    """What the decision does to certificates (inside case_decide's transaction).

    A first application's grant issues one; a renewal's grant issues the new one,
    which supersedes the old. A reassessment confirms (at another level: reissues),
    suspends with a remedy deadline, or revokes the certificate it is about."""
    held = application.certificate
    if decision.outcome in GRANTS:
        replaces = held if application.kind == ApplicationKind.RENEWAL else None
        services.certificate_issue(decision=decision, actor=actor, replaces=replaces)
    elif decision.outcome in CONFIRMATIONS:
        if decision.tier_code != held.tier_code:
            services.certificate_issue(decision=decision, actor=actor, replaces=held)
        else:
            services.certificate_confirm(actor=actor, certificate=held, decision=decision)
    elif decision.outcome == Outcome.SUSPENDED:
        services.certificate_suspend(
            actor=actor,
            certificate=held,
            reason=decision.reasons,
            remedy_due=decision.remedy_by,
            remedy_required=decision.conditions,
        )
    elif decision.outcome == Outcome.REVOKED:
        services.certificate_revoke(actor=actor, certificate=held, reason=decision.reasons)


def revoked_certificate_barring(operator, programme):
    """The revoked certificate that still bars this business from applying, if any."""
    return (
        Certificate.objects.filter(
            holder=operator,
            programme=programme,
            status=CertificateStatus.REVOKED,
            reapplication_barred_until__gt=clock.today(),
        )
        .order_by("-reapplication_barred_until")
        .first()
    )


def certificate_renewed_by_applying(operator, programme):
    """The business's certificate of this programme in its renewal window, if any: an
    application submitted now renews it (tiers renewed by reapplication)."""
    for certificate in operator.certificates.filter(
        programme=programme, status__in=("active", "suspended")
    ).order_by("expires_on"):
        if services.renewal_rule(certificate) == "reapplication" and services.renewal_open(
            certificate
        ):
            return certificate
    return None
