from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "masar.delivery"
    label = "delivery"
