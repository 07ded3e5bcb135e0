from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "masar.dashboards"
    label = "dashboards"
