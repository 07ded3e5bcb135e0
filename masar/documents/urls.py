from django.urls import path

from masar.documents import views

urlpatterns = [
    path("", views.document_list, name="documents-document-list"),
    path("new/", views.document_create, name="documents-document-create"),
    path("<int:pk>/", views.document_detail, name="documents-document-detail"),
    path("<int:pk>/versions/new/", views.document_version_add, name="documents-version-add"),
    path("versions/<int:pk>/file/", views.document_download, name="documents-version-download"),
]
