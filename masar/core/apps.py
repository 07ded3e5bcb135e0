from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masar.core"
    label = "core"
