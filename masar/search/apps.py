from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "masar.search"
    verbose_name = _("Search")

    def ready(self):
        from masar.search import index

        index.follow_audited_changes()
