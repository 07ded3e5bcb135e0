from django.urls import path

from masar.portfolio import views

urlpatterns = [
    path("", views.project_list, name="portfolio-project-list"),
    path("<int:pk>/", views.project_detail, name="portfolio-project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="portfolio-project-edit"),
]
