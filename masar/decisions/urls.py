from django.urls import path

from masar.decisions import views

urlpatterns = [
    path("", views.meeting_list, name="decisions-meeting-list"),
    path("<int:pk>/", views.meeting_detail, name="decisions-meeting-detail"),
]
