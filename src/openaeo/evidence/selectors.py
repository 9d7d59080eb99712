"""Reading evidence files, as seen by one user."""

from django.db.models import QuerySet
from django.http import Http404

from openaeo.evidence import policy
from openaeo.evidence.models import EvidenceFile, EvidenceStatus
from openaeo.operators.models import EconomicOperator


def evidence_visible_to(user, evidence_id: int) -> EvidenceFile:
    """The file's record, or 404 whether it does not exist or `user` may not see its business."""
    evidence = EvidenceFile.objects.select_related("operator").filter(pk=evidence_id).first()
    if evidence is None or not policy.can_see(user, evidence):
        raise Http404
    return evidence


def evidence_downloadable_by(user, evidence_id: int) -> EvidenceFile:
    """A clean file `user` may fetch; 404 for anything else, so nothing reveals a file exists."""
    evidence = evidence_visible_to(user, evidence_id)
    if not policy.can_download(user, evidence):
        raise Http404
    return evidence


def operator_for_upload(user, operator_id: int) -> EconomicOperator:
    """The business, or 404 unless `user` may send evidence for it."""
    operator = EconomicOperator.objects.filter(pk=operator_id).first()
    if operator is None or not policy.can_upload(user, operator):
        raise Http404
    return operator


def evidence_of(operator: EconomicOperator) -> QuerySet[EvidenceFile]:
    """The business's own documents (Customs' working files of a case are not listed)."""
    files = operator.evidence_files.select_related("uploaded_by").order_by("-uploaded_at", "-id")
    for prefix in policy.HIDDEN_PURPOSES:
        files = files.exclude(purpose__startswith=prefix)
    return files


def quarantined() -> QuerySet[EvidenceFile]:
    """Files still waiting for a verdict, oldest first."""
    return EvidenceFile.objects.filter(status=EvidenceStatus.QUARANTINED).order_by(
        "uploaded_at", "id"
    )
