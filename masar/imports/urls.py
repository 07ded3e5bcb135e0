from django.urls import path

from masar.imports import views

urlpatterns = [
    path("", views.import_page, name="imports-import-page"),
    path("<int:pk>/", views.import_detail, name="imports-job-detail"),
    path("<int:pk>/progress/", views.import_progress, name="imports-job-progress"),
    path("templates/<slug:kind>.<slug:fmt>", views.import_template, name="imports-template"),
]
