from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "masar.exports"
    label = "exports"
