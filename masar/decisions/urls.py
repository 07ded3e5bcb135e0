from django.urls import path

from masar.decisions import views

urlpatterns = [
    path("", views.meeting_list, name="decisions-meeting-list"),
    path("<int:pk>/", views.meeting_detail, name="decisions-meeting-detail"),
    path("decisions/", views.decision_list, name="decisions-decision-list"),
    path("decisions/<int:pk>/actions/", views.action_update_create, name="decisions-action-create"),
    path("decisions/<int:pk>/closure/", views.closure_request, name="decisions-closure-request"),
    path("decisions/closures/", views.closure_list, name="decisions-closure-list"),
    path("decisions/closures/<int:pk>/accept/", views.closure_accept, name="decisions-closure-accept"),
    path("decisions/closures/<int:pk>/return/", views.closure_return, name="decisions-closure-return"),
]
