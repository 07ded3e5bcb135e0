from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "masar.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from django.contrib import admin

        from masar.core import labels, lookups

        lookups.register()
        labels.register()

        # The admin speaks the platform's name in the reader's language, not "Django administration".
        admin.site.site_header = _("Masar administration")
        admin.site.site_title = _("Masar administration")
        admin.site.index_title = _("Records of the platform")
