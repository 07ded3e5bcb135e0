from django.urls import path

from masar.workspace import views

urlpatterns = [
    path("", views.my_work, name="workspace-my-work"),
    path("approve/", views.review_approve, name="workspace-review-approve"),
]
