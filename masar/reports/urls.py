from django.urls import path

from masar.reports import views

urlpatterns = [
    path("packs/new/", views.pack_create, name="reports-pack-create"),
    path("packs/<int:pk>/", views.pack_detail, name="reports-pack-detail"),
    path("packs/<int:pk>/pdf/", views.pack_download, name="reports-pack-download"),
]
