from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "masar.portfolio"
    label = "portfolio"
