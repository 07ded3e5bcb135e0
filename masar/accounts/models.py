from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.roles import Role

__all__ = ["EmailFrequency", "Role", "User"]


class EmailFrequency(models.TextChoices):
    """How a person receives their notifications by e-mail."""

    IMMEDIATE = "immediate", _("At once, one e-mail per notification")
    DAILY = "daily", _("Once a day, in a digest")


class User(AbstractUser):
    """A civil servant who signs in: one role, one organization."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ar")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email_frequency = models.CharField(
        _("e-mails"), max_length=16, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_national(self):
        """Whether this user belongs to the national delivery unit (for the admin; rules ask masar.core.policy)."""
        return self.is_superuser or self.role == Role.NATIONAL_ADMIN
