"""Proof of MSME status: when a programme asks for it, and whether the business has sent it.

Some programmes (the India-style one, for example) grant their small-business
relaxations only to businesses that prove their MSME status, for example with a
registration certificate. A programme says so with `size_classes.msme_evidence_required`;
a business is an MSME in a programme when its size class there (from
`openaeo.catalogue.proportionality`) is micro, small or medium. The proof is an evidence
file with a fixed purpose, sent through the evidence store, and it counts only once
the virus check has found it clean.
"""

from django.db.models import QuerySet

from openaeo.catalogue.proportionality import SizeInputs, size_class_of

MSME_SIZE_CLASSES = frozenset({"micro", "small", "medium"})


def proof_purpose(operator) -> str:
    return f"operator:{operator.pk}:msme_status"


def size_class_in(operator, programme) -> str | None:
    """The business's size class under the programme's definition; None without a headcount."""
    if not operator.employees:
        return None
    return size_class_of(
        SizeInputs(
            employees=operator.employees,
            turnover=float(operator.annual_turnover)
            if operator.annual_turnover is not None
            else None,
            balance_sheet=float(operator.balance_sheet_total)
            if operator.balance_sheet_total is not None
            else None,
        ),
        programme.config["size_classes"],
    )


def proof_required(programme, size_class: str | None) -> bool:
    """Does this programme ask a business of this size class to prove its MSME status?"""
    asks = bool(programme.config.get("size_classes", {}).get("msme_evidence_required"))
    return asks and size_class in MSME_SIZE_CLASSES


def proof_files(operator) -> QuerySet:
    """Every file sent as proof of MSME status, newest first, whatever its virus check said."""
    from openaeo.evidence.selectors import evidence_of

    return evidence_of(operator).filter(purpose=proof_purpose(operator))


def has_clean_proof(operator) -> bool:
    from openaeo.evidence.models import EvidenceStatus

    return proof_files(operator).filter(status=EvidenceStatus.CLEAN).exists()


def proof_missing_for(assessment) -> bool:
    """True when the assessment's programme asks this business for proof and none is clean.

    The size class is the one recorded when the assessment started: the one its
    application will claim.
    """
    return proof_required(assessment.programme, assessment.size_class) and not has_clean_proof(
        assessment.operator
    )


def programmes_asking_for_proof(operator) -> list:
    """Programmes that ask this business for proof of MSME status.

    Those of its self-assessments in progress (with the size class each recorded),
    and the programme shown to the public by default (with today's profile figures).
    """
    from openaeo.assessments.models import SelfAssessment
    from openaeo.catalogue.models import Programme

    asking: dict[int, object] = {}
    in_progress = SelfAssessment.objects.filter(
        operator=operator, status=SelfAssessment.Status.IN_PROGRESS
    ).select_related("programme")
    for assessment in in_progress:
        if proof_required(assessment.programme, assessment.size_class):
            asking.setdefault(assessment.programme.pk, assessment.programme)
    default = Programme.objects.filter(is_default=True).first()
    if default is not None and proof_required(default, size_class_in(operator, default)):
        asking.setdefault(default.pk, default)
    return sorted(asking.values(), key=str)
