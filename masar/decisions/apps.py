from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "masar.decisions"
    label = "decisions"
    verbose_name = _("Council decisions")
