from django.urls import path

from masar.factcheck import views

urlpatterns = [path("", views.check, name="factcheck-check")]
