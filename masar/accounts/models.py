from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.roles import Role

__all__ = ["Role", "User"]


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_national(self):
        """Whether this user belongs to the national delivery unit (for the admin; rules ask masar.core.policy)."""
        return self.is_superuser or self.role == Role.NATIONAL_ADMIN
