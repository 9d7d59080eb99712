from django.urls import path

from openaeo.operators import views

app_name = "operators"

urlpatterns = [
    path("", views.operator_list, name="list"),
    path("register/", views.operator_register, name="register"),
    path("request-access/", views.request_access, name="request_access"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:operator_id>/", views.operator_detail, name="detail"),
    path("<int:operator_id>/profile/", views.operator_profile, name="profile"),
    path("<int:operator_id>/profile/msme-proof/", views.msme_proof, name="msme_proof"),
    path("<int:operator_id>/sites-and-contacts/", views.sites_contacts, name="sites"),
    path("<int:operator_id>/sites/", views.site_add, name="site_add"),
    path("<int:operator_id>/sites/<int:site_id>/remove/", views.site_remove, name="site_remove"),
    path("<int:operator_id>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<int:operator_id>/contacts/<int:contact_id>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("<int:operator_id>/members/", views.member_add, name="member_add"),
    path(
        "<int:operator_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<int:operator_id>/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<int:operator_id>/mandates/", views.mandate_grant, name="mandate_grant"),
    path(
        "<int:operator_id>/access-requests/<int:request_id>/",
        views.access_decide,
        name="access_decide",
    ),
    path(
        "<int:operator_id>/mandates/<int:mandate_id>/revoke/",
        views.mandate_revoke,
        name="mandate_revoke",
    ),
]
