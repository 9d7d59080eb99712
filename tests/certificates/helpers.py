"""Building certificates directly: an application, a recommendation, a granted decision,
then the issuing service (the whole case workflow is exercised in test_issuance.py)."""

from openaeo.accounts.models import Office
from openaeo.cases.models import Application, Decision, Recommendation
from openaeo.certificates.services import certificate_issue
from openaeo.common import clock


def make_certificate(operator, programme, *, office, validator, supervisor, tier_code="entry"):
    now = clock.now()
    application = Application.objects.create(
        operator=operator,
        programme=programme,
        tier_code=tier_code,
        status=Application.Status.CLOSED,
        submitted_at=now,
        completeness_due=clock.today(),
        office=office if isinstance(office, Office) else Office.objects.get(code=office),
        outcome="granted",
        decided_at=now,
        closed_at=now,
    )
    recommendation = Recommendation.objects.create(
        application=application,
        round=1,
        outcome="granted",
        tier_code=tier_code,
        reasons="Meets every requirement.",
        recommended_by=validator,
        recommended_at=now,
    )
    decision = Decision.objects.create(
        application=application,
        round=1,
        recommendation=recommendation,
        outcome="granted",
        tier_code=tier_code,
        reasons="Meets every requirement.",
        language="en",
        decided_by=supervisor,
        decided_at=now,
    )
    return certificate_issue(decision=decision, actor=supervisor)
