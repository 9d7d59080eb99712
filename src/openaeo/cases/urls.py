from django.urls import path

from openaeo.cases import case_views, queue_views, views

app_name = "cases"

urlpatterns = [
    # The applicant's side
    path("submit/<int:assessment_id>/", views.submit, name="submit"),
    path("<int:application_id>/", views.status, name="status"),
    path("<int:application_id>/messages/<int:request_id>/", views.reply, name="reply"),
    path("<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:application_id>/appeal/", views.appeal, name="appeal"),
    path(
        "<int:application_id>/decisions/<int:decision_id>/letter.pdf",
        views.decision_letter,
        name="decision_letter",
    ),
    # Customs
    path("cases/", queue_views.work_queue, name="queue"),
    path("cases/assign/", queue_views.assign, name="assign"),
    path("cases/<int:application_id>/", case_views.case, name="case"),
    path("cases/<int:application_id>/do/<slug:action>/", case_views.act, name="act"),
    path(
        "cases/<int:application_id>/messages/<int:request_id>/",
        case_views.follow_up,
        name="follow_up",
    ),
]
