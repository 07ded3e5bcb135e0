"""The delivery settings in force (one row, `DeliverySettings`) and the rating rules they make."""

from __future__ import annotations

from masar.delivery.models import SETTINGS_ROW, Confidence, DeliverySettings
from masar.delivery.rating import RatingRules


def settings_in_force() -> DeliverySettings:
    """Return the delivery settings in force: the stored row, or the defaults (unsaved) before any change."""
    return DeliverySettings.objects.filter(pk=SETTINGS_ROW).first() or DeliverySettings(pk=SETTINGS_ROW)


def rating_rules(settings: DeliverySettings) -> RatingRules:
    """Return the rating rules a settings row sets."""
    return RatingRules(
        schedule_bands=(
            (settings.schedule_green_days, Confidence.GREEN),
            (settings.schedule_amber_green_days, Confidence.AMBER_GREEN),
            (settings.schedule_amber_days, Confidence.AMBER),
            (settings.schedule_amber_red_days, Confidence.AMBER_RED),
        ),
        cost_bands=(
            (settings.cost_green_ratio, Confidence.GREEN),
            (settings.cost_amber_green_ratio, Confidence.AMBER_GREEN),
            (settings.cost_amber_ratio, Confidence.AMBER),
            (settings.cost_amber_red_ratio, Confidence.AMBER_RED),
        ),
        freshness_caps=(
            (settings.freshness_amber_days, Confidence.AMBER),
            (settings.freshness_amber_green_days, Confidence.AMBER_GREEN),
        ),
        rebaseline_cap=settings.rebaseline_cap,
    )


def rules_in_force() -> RatingRules:
    """Return the rating rules of the settings in force."""
    return rating_rules(settings_in_force())
