from django.urls import path

from openaeo.certificates import documents, register_views, verify_views, views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<int:certificate_id>/", views.detail, name="detail"),
    path("certificates/<int:certificate_id>/status/", views.change, name="change"),
    path("certificates/<int:certificate_id>/reassess/", views.reassess, name="reassess"),
    path("certificates/<int:certificate_id>/renew/", views.renew, name="renew"),
    path("certificates/<int:certificate_id>/credential.jwt", views.download, name="download"),
    path("certificates/business/<int:operator_id>/", views.business, name="business"),
    path(
        "certificates/status/<str:purpose>/<int:number>.jwt",
        views.status_list,
        name="status_list",
    ),
    path(
        "certificates/status/<str:purpose>/<int:number>.json",
        views.status_list_json,
        name="status_list_json",
    ),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("register/", register_views.register_page, name="register"),
    path("register/aeo-register.csv", register_views.register_csv, name="register_csv"),
    path(
        "certificates/<int:certificate_id>/register-consent/",
        register_views.consent,
        name="register_consent",
    ),
    path("certificates/<int:certificate_id>/certificate.pdf", documents.pdf_view, name="pdf"),
    path("verify/", verify_views.verify, name="verify"),
]
