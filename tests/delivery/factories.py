"""Delivery records for tests."""

from masar.delivery.models import ProjectHealth


def make_health(project, computed, *, declared="", flagged=False, computed_on="2026-01-01", **extra):
    """Store a project's rating as the nightly refresh would."""
    return ProjectHealth.objects.create(
        project=project, computed=computed, declared=declared, flagged=flagged, computed_on=computed_on, **extra
    )
