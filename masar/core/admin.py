"""The Django admin for every domain record, audited and protected against stale edits like every other door."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core.errors import StaleEditError
from masar.core.models import TreeNode
from masar.core.services import model_delete, tree_node_place


class VersionedAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" in {f.name for f in self.instance._meta.fields}:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != expected:
                raise ValidationError(StaleEditError.default_message, code="stale")
        return cleaned


class AuditedModelAdmin(admin.ModelAdmin):
    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        self._audit_before = None
        if change:
            model = type(obj)
            self._audit_before = snapshot(model._default_manager.get(pk=obj.pk))
            expected = form.cleaned_data.get("expected_version")
            if expected is not None:
                claimed = model._default_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
                if not claimed:
                    # Lost the race between the form's check and this write: refuse rather than overwrite.
                    raise StaleEditError(instance=obj, expected_version=expected)
                obj.version = expected + 1
        super().save_model(request, obj, form, change)
        if isinstance(obj, TreeNode):
            tree_node_place(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = self._audit_before or {}
        audit_record(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            instance=obj,
            changes=diff(before, snapshot(obj)),
        )

    def save_formset(self, request, form, formset, change):
        """Save inline rows (e.g. an organization's missions) through the audit trail too."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            model_delete(instance=obj, actor=request.user)
        for obj in instances:
            model = type(obj)
            before = snapshot(model._default_manager.get(pk=obj.pk)) if obj.pk else {}
            obj.save()
            audit_record(
                actor=request.user,
                action=Action.UPDATE if before else Action.CREATE,
                instance=obj,
                changes=diff(before, snapshot(obj)),
            )
        formset.save_m2m()

    def delete_model(self, request, obj):
        model_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                model_delete(instance=obj, actor=request.user)
