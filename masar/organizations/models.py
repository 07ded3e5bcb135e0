from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.models import Described, Named, Provenance, TreeNode, Versioned, localized


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry or sector")
    GENERAL_SECRETARIAT = "general_secretariat", _("General secretariat")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    DIRECTORATE = "directorate", _("Directorate")
    BODY = "body", _("Public body")
    DECONCENTRATED = "deconcentrated", _("Deconcentrated service")


class OrganizationQuerySet(models.QuerySet):
    def subtree_of(self, organization):
        """Return the organization and everything under it."""
        return self.filter(path__startswith=organization.path)


class Organization(TreeNode, Named, Described, Versioned, Provenance):
    """A government, ministry, directorate, public body or deconcentrated service.

    The structure of government is public law, so organizations carry no classification;
    what they own does.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    code = models.CharField(_("code"), max_length=40, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")


class Mission(Provenance):
    """One mission of an organization, in the order its founding text lists them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="missions")
    order = models.PositiveIntegerField(_("order"))
    text_ar = models.TextField(_("text (Arabic)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["organization", "order"]
        constraints = [models.UniqueConstraint(fields=["organization", "order"], name="mission_order_unique")]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    @property
    def text(self):
        return localized(self, "text")

    def __str__(self):
        return self.text[:80]


class RegionKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    GOVERNORATE = "governorate", _("Governorate")
    PROVINCE = "province", _("Province")


class Region(TreeNode, Named, Versioned, Provenance):
    """A territory: a country, its regions, governorates or provinces."""

    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    code = models.CharField(_("code"), max_length=16, unique=True, help_text=_("ISO 3166 code where one exists"))

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
