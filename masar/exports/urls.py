from django.urls import path

from masar.exports import views

urlpatterns = [
    path("<int:pk>/", views.export_detail, name="exports-export-detail"),
    path("<int:pk>/download/", views.export_download, name="exports-export-download"),
    path("<slug:kind>.<slug:fmt>", views.export_list, name="exports-list-download"),
]
