from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "masar.indicators"
    label = "indicators"
