from django.urls import path

from openaeo.cases import case_views, queue_views, views, visit_views

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
    path(
        "<int:application_id>/visits/<int:visit_id>/report.pdf",
        visit_views.report,
        name="visit_report",
    ),
    path(
        "<int:application_id>/corrective-actions/<int:action_id>/done/",
        visit_views.corrective_done,
        name="corrective_action_done",
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
    path("cases/<int:application_id>/visit/plan/", visit_views.plan, name="visit_plan"),
    path(
        "cases/<int:application_id>/visits/<int:visit_id>/items/<int:item_id>/",
        visit_views.item_record,
        name="visit_item",
    ),
    path(
        "cases/<int:application_id>/visits/<int:visit_id>/complete/",
        visit_views.complete,
        name="visit_complete",
    ),
    path(
        "cases/<int:application_id>/corrective-actions/<int:action_id>/accept/",
        visit_views.corrective_accept,
        name="corrective_action_accept",
    ),
]
