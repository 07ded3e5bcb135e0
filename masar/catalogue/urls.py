from django.urls import path

from masar.catalogue import views

urlpatterns = [
    path("<int:pk>/", views.service_detail, name="catalogue-service-detail"),
]
