from django.urls import path

from masar.webhooks import views

urlpatterns = [
    path("", views.subscription_list, name="webhooks-subscription-list"),
    path("new/", views.subscription_create, name="webhooks-subscription-create"),
    path("<int:pk>/", views.subscription_detail, name="webhooks-subscription-detail"),
    path("<int:pk>/edit/", views.subscription_edit, name="webhooks-subscription-edit"),
    path("<int:pk>/pause/", views.subscription_pause, name="webhooks-subscription-pause"),
    path("<int:pk>/resume/", views.subscription_resume, name="webhooks-subscription-resume"),
    path("<int:pk>/rotate-secret/", views.subscription_rotate, name="webhooks-subscription-rotate"),
    path("deliveries/<int:pk>/deliver-again/", views.delivery_redeliver, name="webhooks-delivery-redeliver"),
]
