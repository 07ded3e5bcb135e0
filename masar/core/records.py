"""The kinds of records, as API clients' scopes, sharing agreements and the policy name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    """The kinds of records the API serves, as scopes and sharing agreements name them."""

    ORGANIZATIONS = "organizations", _("Organizations and their missions")
    REGIONS = "regions", _("Regions")
    STRATEGIES = "strategies", _("Strategies, axes, programs and phases")
    PROJECTS = "projects", _("Projects, their milestones and ratings")
    PROGRESS_UPDATES = "progress_updates", _("Progress updates")
    BASELINES = "baselines", _("Project baselines")
    OBSTACLES = "obstacles", _("Obstacles")
    MEETINGS = "meetings", _("Meetings")
    DECISIONS = "decisions", _("Decisions and action-taken reports")
    ACTION_UPDATES = "action_updates", _("Action-taken reports")
    INDICATORS = "indicators", _("Indicators and their targets")
    MEASUREMENTS = "measurements", _("Indicator values")
    DOCUMENTS = "documents", _("Documents")
    PROCUREMENT = "procurement", _("Procurement: tenders, bids, awards, contracts and payments")
    TAX_COMPLIANCE = "tax_compliance", _("Suppliers' tax compliance")
    SERVICES = "services", _("Government services and their catalogue")
    SERVICE_USAGE = "service_usage", _("Monthly usage of government services")
