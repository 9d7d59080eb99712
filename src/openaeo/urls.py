"""Every URL of OpenAEO. Each named route has a rule in its app's policy module."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from openaeo.api import api
from openaeo.mra.api import api as mra_api

admin.site.site_header = "OpenAEO administration"
admin.site.site_title = "OpenAEO"

urlpatterns = [
    path("", include("openaeo.web.urls")),
    path("", include("openaeo.catalogue.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/sso/", include("allauth.socialaccount.urls")),
    path("accounts/sso/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("account/", include("openaeo.accounts.urls")),
    path("businesses/", include("openaeo.operators.urls")),
    path("audit/", include("openaeo.common.urls")),
    path("evidence/", include("openaeo.evidence.urls")),
    path("self-assessment/", include("openaeo.assessments.urls")),
    path("applications/", include("openaeo.cases.urls")),
    path("notifications/", include("openaeo.notifications.urls")),
    path("", include("openaeo.certificates.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/mra/v1/", mra_api.urls),
    path("mutual-recognition/", include("openaeo.mra.urls")),
    path("monitoring/", include("openaeo.monitoring.urls")),
]

handler403 = "openaeo.web.views.error_403"
handler404 = "openaeo.web.views.error_404"
handler500 = "openaeo.web.views.error_500"
