import io

from django.core.management import call_command

from openaeo.monitoring.models import SelfReview


def test_the_demo_holder_has_an_open_self_review(db):
    call_command("demo_data", stdout=io.StringIO())
    review = SelfReview.objects.get(certificate__holder__identifier="KE-P051234575J")
    assert review.editable
    assert review.items and any(item["said"] for item in review.items)
    call_command("demo_data", stdout=io.StringIO())
    assert SelfReview.objects.count() == 1
