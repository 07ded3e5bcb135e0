from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "masar.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.conf import settings
        from django.core import checks
        from django.db.models.signals import pre_delete

        from masar.audit.checks import audit_key_check
        from masar.audit.guards import refuse_user_deletion

        checks.register(audit_key_check, checks.Tags.security, deploy=True)

        pre_delete.connect(refuse_user_deletion, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit-no-user-delete")
