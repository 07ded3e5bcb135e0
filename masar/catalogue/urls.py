from django.urls import path

from masar.catalogue import views, voice_views

urlpatterns = [
    path("", views.service_list, name="catalogue-service-list"),
    path("new/", views.service_create, name="catalogue-service-create"),
    path("satisfaction/", views.satisfaction, name="catalogue-satisfaction"),
    path("feedback/", voice_views.feedback_list, name="catalogue-feedback-list"),
    path("feedback/<int:pk>/", voice_views.feedback_detail, name="catalogue-feedback-detail"),
    path("feedback/<int:pk>/close/", voice_views.feedback_close, name="catalogue-feedback-close"),
    path("comments/", voice_views.moderation, name="catalogue-moderation"),
    path("<int:pk>/", views.service_detail, name="catalogue-service-detail"),
    path("<int:pk>/edit/", views.service_edit, name="catalogue-service-edit"),
    path("<int:pk>/documents/", views.service_documents, name="catalogue-service-documents"),
    path("<int:pk>/projects/", views.service_projects, name="catalogue-service-projects"),
    path("<int:pk>/usage/", views.usage_record, name="catalogue-usage-record"),
]
