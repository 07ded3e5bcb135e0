from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "masar.workspace"
    label = "workspace"
