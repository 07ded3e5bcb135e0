"""Reconciliation: a write that bypasses the services is found by comparing versions with the trail."""

import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from masar.audit.reconcile import audit_drift_log, audit_reconcile
from masar.portfolio.models import Project
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project


def test_a_trail_written_by_the_services_reconciles(ministry_a, axis, coordinator_a):
    project = make_project("P-1", ministry_a, axis)
    project_update(project=project, actor=coordinator_a, expected_version=1, name_ar="عبر الخدمة")
    assert audit_reconcile() == []
    out = io.StringIO()
    call_command("audit_reconcile", stdout=out)
    assert "accounted for" in out.getvalue()


def test_a_queryset_update_that_bypasses_the_services_is_reported(ministry_a, axis, coordinator_a):
    kept = make_project("P-1", ministry_a, axis)
    project_update(project=kept, actor=coordinator_a, expected_version=1, name_ar="عبر الخدمة")
    bypassed = make_project("P-2", ministry_a, axis)
    Project.objects.filter(pk=bypassed.pk).update(name_ar="خلسة", version=F("version") + 1)
    (drift,) = audit_reconcile()
    assert (drift.model_label, drift.object_id, drift.version, drift.trail_version) == (
        "portfolio.project",
        bypassed.pk,
        2,
        1,
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 record"):
        call_command("audit_reconcile", stdout=out)
    assert out.getvalue().splitlines() == [
        f"DRIFT portfolio.project #{bypassed.pk}: version 2 but the trail's latest is 1 (changed outside the services)"
    ]


def test_a_record_created_without_the_services_is_reported(ministry_a, axis, caplog):
    project = make_project("P-1", ministry_a, axis)
    sneaked = Project.objects.create(
        code="P-X",
        name_ar="خلسة",
        owner=ministry_a,
        axis=axis,
        strategy=axis.strategy,
        planned_start=project.planned_start,
        planned_end=project.planned_end,
    )
    assert [(d.object_id, d.trail_version) for d in audit_reconcile()] == [(sneaked.pk, None)]
    with caplog.at_level(logging.WARNING, logger="masar.audit"):
        assert audit_drift_log() == 1
    assert f"#{sneaked.pk}: version 1, never recorded" in caplog.text


def test_reconcile_reads_each_model_once(ministry_a, axis, django_assert_max_num_queries):
    from masar.audit.reconcile import versioned_models

    for number in range(5):
        make_project(f"P-{number}", ministry_a, axis)
    models = versioned_models()
    assert len(models) > 10
    with django_assert_max_num_queries(2 * len(models)):  # the row query, and at most a content type lookup
        audit_reconcile()
