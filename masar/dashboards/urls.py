from django.urls import path

from masar.dashboards import views

urlpatterns = [
    path("", views.national, name="dashboards-national"),
    path("organizations/<str:pk>/", views.sectoral, name="dashboards-sectoral"),
    path("public/", views.public, name="dashboards-public"),
]
