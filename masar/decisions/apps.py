from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "masar.decisions"
    label = "decisions"
