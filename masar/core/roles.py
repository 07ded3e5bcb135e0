"""The roles a civil servant holds in Masar (one per person)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    SECTOR_COORDINATOR = "sector_coordinator", _("Sector coordinator")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    VIEWER = "viewer", _("Viewer")
    # The inspectorate and auditors: read everything the national unit reads, change nothing.
    INSPECTOR = "inspector", _("Inspector")
    # The account through which another administration's system acts (one per API client); it never signs in.
    API_CLIENT = "api_client", _("Another administration's system")
