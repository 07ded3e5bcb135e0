from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from masar.api.main import api
from masar.core import probes
from masar.dashboards import views as dashboards_views

urlpatterns = i18n_patterns(
    path("", dashboards_views.home, name="core-home"),
    path("accounts/", include("masar.accounts.urls")),
    path("my-work/", include("masar.workspace.urls")),
    path("organizations/", include("masar.organizations.urls")),
    path("strategies/", include("masar.strategy.urls")),
    path("projects/", include("masar.portfolio.urls")),
    path("meetings/", include("masar.decisions.urls")),
    path("indicators/", include("masar.indicators.urls")),
    path("delivery/", include("masar.delivery.urls")),
    path("attachments/", include("masar.attachments.urls")),
    path("documents/", include("masar.documents.urls")),
    path("intake/", include("masar.intake_review.urls")),
    path("dashboards/", include("masar.dashboards.urls")),
    path("exports/", include("masar.exports.urls")),
    path("reports/", include("masar.reports.urls")),
    path("webhooks/", include("masar.webhooks.urls")),
    path("exchange/", include("masar.exchange.urls")),
    path("imports/", include("masar.imports.urls")),
    path("search/", include("masar.search.urls")),
    path("opendata/", include("masar.opendata.urls")),
    path("integrity/", include("masar.integrity.urls")),
    path("services/", include("masar.catalogue.urls")),
    path("portal/", include("masar.portal.urls")),
    path("factcheck/", include("masar.factcheck.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# The API is not under a language prefix: it speaks the language of Accept-Language.
urlpatterns += [path("api/v1/", api.urls)]

# Open data for harvesters, data portals and donors' systems: CKAN Action API, DCAT-AP, IATI, OCDS, the files.
urlpatterns += [path("", include("masar.opendata.machine_urls"))]

# For load balancers and Prometheus: no language prefix, no session, no sign-in (metrics: a token or staff).
urlpatterns += [
    path("healthz", probes.healthz, name="core-healthz"),
    path("readyz", probes.readyz, name="core-readyz"),
    path("metrics", probes.metrics, name="core-metrics"),
]

handler400 = "masar.core.error_pages.bad_request"
handler403 = "masar.core.error_pages.permission_denied"
handler404 = "masar.core.error_pages.page_not_found"
handler500 = "masar.core.error_pages.server_error"
