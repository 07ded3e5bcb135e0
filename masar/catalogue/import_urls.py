"""The catalogue's import page and its templates, mounted under /<lang>/services/import/."""

from django.urls import path

from masar.catalogue import import_views

urlpatterns = [
    path("", import_views.catalogue_import_page, name="catalogue-import"),
    path(
        "templates/<slug:kind>.<slug:fmt>",
        import_views.catalogue_import_template,
        name="catalogue-import-template",
    ),
]
