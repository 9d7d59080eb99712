from django.urls import path

from openaeo.evidence import views

app_name = "evidence"

urlpatterns = [
    path("<int:operator_id>/upload/", views.evidence_upload, name="upload"),
    path("files/<int:evidence_id>/download/", views.evidence_download, name="download"),
]
