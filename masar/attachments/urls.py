from django.urls import path

from masar.attachments import views

urlpatterns = [
    path("<int:pk>/", views.attachment_download, name="attachments-attachment-download"),
    path("<str:kind>/<int:pk>/new/", views.attachment_upload, name="attachments-attachment-upload"),
]
