from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "masar.reports"
    label = "reports"
