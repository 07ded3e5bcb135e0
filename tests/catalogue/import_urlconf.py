"""Masar's URLs with the catalogue's import page mounted where the lead mounts it (/<lang>/services/import/)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from masar.urls import handler400, handler403, handler404, handler500  # noqa: F401
from masar.urls import urlpatterns as masar_urlpatterns

urlpatterns = [
    *i18n_patterns(path("services/import/", include("masar.catalogue.import_urls")), prefix_default_language=True),
    *masar_urlpatterns,
]
