from django.urls import path

from masar.intake_review import views

urlpatterns = [
    path("", views.intake_start, name="intake-text-read"),
    path("accept/", views.intake_accept, name="intake-draft-accept"),
]
