from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "masar.audit"
    label = "audit"
