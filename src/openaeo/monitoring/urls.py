from django.urls import path

from openaeo.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("certificates/<int:certificate_id>/", views.holder, name="holder"),
    path(
        "certificates/<int:certificate_id>/annual-review/",
        views.self_review,
        name="self_review",
    ),
    path("certificates/<int:certificate_id>/changes/new/", views.change_new, name="change_new"),
    path(
        "certificates/<int:certificate_id>/incidents/new/",
        views.incident_new,
        name="incident_new",
    ),
    path(
        "certificates/<int:certificate_id>/incidents/record/",
        views.incident_report_for_holder,
        name="incident_report_for_holder",
    ),
    path("", views.overview, name="overview"),
    path("reviews/<int:review_id>/", views.self_review_detail, name="self_review_detail"),
    path("reviews/<int:review_id>/review/", views.self_review_review, name="self_review_review"),
    path("changes/<int:notice_id>/", views.change_detail, name="change_detail"),
    path("changes/<int:notice_id>/review/", views.change_review, name="change_review"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:incident_id>/review/", views.incident_review, name="incident_review"),
]
