from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Masar"), {"fields": ["role", "organization", "phone", "language", "email_frequency"]}),
    ]
    list_display = ["username", "get_full_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["organization"]
