from django.urls import path

from masar.core import views

urlpatterns = [path("", views.home, name="core-home")]
