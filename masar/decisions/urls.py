from django.urls import path

from masar.decisions import views

urlpatterns = [
    path("", views.meeting_list, name="decisions-meeting-list"),
    path("new/", views.meeting_create, name="decisions-meeting-create"),
    path("<int:pk>/", views.meeting_detail, name="decisions-meeting-detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="decisions-meeting-edit"),
    path("<int:pk>/agenda/", views.meeting_agenda, name="decisions-meeting-agenda"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="decisions-meeting-attendance"),
    path("<int:pk>/publish/", views.meeting_publish, name="decisions-meeting-publish"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decisions-decision-create"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decisions-decision-edit"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="decisions-attendance-remove"),
    path("decisions/", views.decision_list, name="decisions-decision-list"),
    path("decisions/<int:pk>/actions/", views.action_update_create, name="decisions-action-create"),
    path("decisions/<int:pk>/closure/", views.closure_request, name="decisions-closure-request"),
    path("decisions/closures/", views.closure_list, name="decisions-closure-list"),
    path("decisions/closures/<int:pk>/accept/", views.closure_accept, name="decisions-closure-accept"),
    path("decisions/closures/<int:pk>/return/", views.closure_return, name="decisions-closure-return"),
]
