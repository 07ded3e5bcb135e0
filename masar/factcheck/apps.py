from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    name = "masar.factcheck"
    label = "factcheck"
    verbose_name = _("Fact-check")
