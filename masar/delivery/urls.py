from django.urls import path

from masar.delivery import views

urlpatterns = [
    path("projects/<int:pk>/updates/", views.project_updates, name="delivery-update-list"),
    path("projects/<int:pk>/updates/new/", views.update_create, name="delivery-update-create"),
    path("updates/<int:pk>/", views.update_detail, name="delivery-update-detail"),
    path("updates/<int:pk>/edit/", views.update_edit, name="delivery-update-edit"),
    path("updates/<int:pk>/<str:action>/", views.update_action, name="delivery-update-action"),
    path("projects/<int:pk>/baselines/", views.baseline_list, name="delivery-baseline-list"),
    path("baselines/<int:pk>/<str:decision>/", views.baseline_decide, name="delivery-baseline-decide"),
    path("projects/<int:pk>/obstacles/new/", views.obstacle_create, name="delivery-obstacle-create"),
    path("obstacles/<int:pk>/", views.obstacle_detail, name="delivery-obstacle-detail"),
    path("obstacles/<int:pk>/escalate/", views.obstacle_escalate, name="delivery-obstacle-escalate"),
    path("obstacles/<int:pk>/comments/", views.obstacle_comment, name="delivery-obstacle-comment"),
    path("blocked/", views.blocked, name="delivery-blocked"),
    path("due/", views.due_updates, name="delivery-due"),
    path("roadmap/", views.roadmap, name="delivery-roadmap"),
    path("rules/", views.rating_rules, name="delivery-rules"),
    path("settings/", views.delivery_settings, name="delivery-settings"),
    path("heatmap/", views.heatmap, name="delivery-heatmap"),
    path("inbox/", views.inbox, name="delivery-inbox"),
    path("inbox/<int:pk>/", views.notification_open, name="delivery-notification-open"),
]
