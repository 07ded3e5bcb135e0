from django.urls import path

from masar.portal import views

urlpatterns = [
    path("", views.home, name="portal-home"),
]
