from django.urls import path

from openaeo.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("imports/", views.import_list, name="imports"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_act, name="alert_act"),
    path("businesses/<int:operator_id>/declarations/", views.declarations, name="declarations"),
]
