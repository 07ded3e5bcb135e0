from django.urls import path

from masar.organizations import views

urlpatterns = [
    path("", views.organization_tree, name="organizations-organization-tree"),
    path("<int:pk>/", views.organization_detail, name="organizations-organization-detail"),
]
