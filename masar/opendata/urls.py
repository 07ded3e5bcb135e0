"""The open-data portal and the inventory's pages (ar/fr/en), under /<language>/opendata/."""

from django.urls import path

from masar.opendata import views

urlpatterns = [
    path("", views.catalogue_list, name="opendata-catalogue-list"),
    path("datasets/<slug:name>/", views.catalogue_detail, name="opendata-catalogue-detail"),
    path("inventory/", views.inventory_list, name="opendata-inventory-list"),
    path("inventory/<slug:code>/", views.inventory_detail, name="opendata-inventory-detail"),
    path("inventory/<slug:code>/edit/", views.dataset_edit, name="opendata-inventory-edit"),
    path("inventory/<slug:code>/changes/", views.change_request, name="opendata-change-request"),
    path("changes/<int:pk>/decide/", views.change_decide, name="opendata-change-decide"),
    path("inventory/<slug:code>/publications/new/", views.publication_create, name="opendata-publication-create"),
    path("publications/<slug:name>/", views.publication_detail, name="opendata-publication-detail"),
    path("publications/<slug:name>/edit/", views.publication_edit, name="opendata-publication-edit"),
    path("publications/<slug:name>/propose/", views.publication_propose, name="opendata-publication-propose"),
    path("publications/<slug:name>/decide/", views.publication_decide, name="opendata-publication-decide"),
    path("publications/<slug:name>/revise/", views.publication_revise, name="opendata-publication-revise"),
]
