from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Described, Named, Provenance, Versioned, localized


class IndicatorQuerySet(ClassifiedQuerySet):
    pass


class Indicator(Named, Described, Versioned, Provenance):
    """A performance indicator (مؤشر أداء): what is measured, in which unit, owned by whom."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    unit_ar = models.CharField(_("unit (Arabic)"), max_length=60)
    unit_fr = models.CharField(_("unit (French)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("owner organization"), on_delete=models.PROTECT,
        related_name="indicators",
    )
    classification = ClassificationField()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    @property
    def unit(self):
        return localized(self, "unit")
