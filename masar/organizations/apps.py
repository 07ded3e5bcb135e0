from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "masar.organizations"
    label = "organizations"
