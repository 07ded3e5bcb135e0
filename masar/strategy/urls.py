from django.urls import path

from masar.strategy import views

urlpatterns = [
    path("", views.strategy_list, name="strategy-strategy-list"),
    path("<int:pk>/", views.strategy_detail, name="strategy-strategy-detail"),
]
