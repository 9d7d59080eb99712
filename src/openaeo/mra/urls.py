from django.urls import path

from openaeo.mra import views

app_name = "mra"

urlpatterns = [
    path("partners/", views.partner_list, name="partners"),
    path("partners/<int:partner_id>/", views.partner_detail, name="partner"),
    path("partners/<int:partner_id>/import/", views.upload, name="upload"),
    path("partners/<int:partner_id>/imports/<int:import_id>/", views.import_report, name="import"),
    path(
        "partners/<int:partner_id>/imports/<int:import_id>/acknowledgement.json",
        views.acknowledgement,
        name="acknowledgement",
    ),
    path("partners/<int:partner_id>/mappings/<int:mapping_id>/", views.mapping, name="mapping"),
]
