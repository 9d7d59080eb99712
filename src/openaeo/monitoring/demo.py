"""Demo data for monitoring: the granted demo business has its annual self-review open.

Called from openaeo.web.demo.load (one line), after the demo cases granted the certificate.
Idempotent: a second run finds the review and creates nothing.
"""

from openaeo.certificates.models import Certificate, CertificateStatus
from openaeo.common import clock
from openaeo.monitoring import services, windows
from openaeo.monitoring.models import SelfReview

DEMO_HOLDER = "KE-P051234575J"  # the avocado exporter, granted in the demo cases


def load(created: dict[str, int]) -> None:
    certificate = (
        Certificate.objects.filter(holder__identifier=DEMO_HOLDER, status=CertificateStatus.ACTIVE)
        .select_related("programme", "holder", "decision__application")
        .first()
    )
    if certificate is None or SelfReview.objects.filter(certificate=certificate).exists():
        return
    spec = services.review_window_spec(certificate)
    if spec is None:
        return
    today = clock.today()
    # Today's window, else this year's (or next year's) so that the demo always shows an
    # open review; tick marks it overdue only after its window closes.
    window = windows.window_around(spec, today)
    if window is None:
        window = windows.window_of(spec, today.year)
        if window.closes < today:
            window = windows.window_of(spec, today.year + 1)
    _review, opened = services.self_review_open(certificate, window)
    created["self-reviews"] = created.get("self-reviews", 0) + int(opened)
