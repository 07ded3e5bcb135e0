from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "masar.strategy"
    label = "strategy"
