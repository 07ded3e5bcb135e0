from django.urls import path

from masar.factcheck import views as factcheck_views
from masar.portal import views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("services/", views.directory, name="portal-directory"),
    path("services/<int:pk>/", views.service_detail, name="portal-service-detail"),
    path("services/<int:pk>/rate/", views.service_rate, name="portal-service-rate"),
    path("services/<int:pk>/feedback/", views.service_feedback, name="portal-service-feedback"),
    path("track/", views.track, name="portal-track"),
    path("delivering/", views.delivering, name="portal-delivering"),
    path("factcheck/", factcheck_views.public_check, name="portal-factcheck"),
]
