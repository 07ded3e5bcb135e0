"""The open-data doors machines read: no language prefix, no session, no sign-in."""

from django.urls import include, path, register_converter

from masar.opendata import ckan, dcat, downloads, iati, ocds


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("opendata/files/<slug:name>.<fmt:fmt>", downloads.resource_download, name="opendata-resource-download"),
    path("", include(ckan.urlpatterns)),
    path("", include(dcat.urlpatterns)),
    path("", include(iati.urlpatterns)),
    path("", include(ocds.urlpatterns)),
]
