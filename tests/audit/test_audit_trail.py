import datetime

import pytest
from django.core.management import call_command

from masar.audit.models import Action, AuditEntry
from masar.core.errors import StaleEditError
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project


def test_every_create_update_and_delete_is_recorded_with_before_and_after(ministry_a, axis, coordinator_a):
    project = make_project("P-1", ministry_a, axis)
    project = project_update(
        project=project, actor=coordinator_a, expected_version=1, name_ar="مشروع معدل", status="in_progress"
    )
    entries = list(AuditEntry.objects.for_object(project).order_by("id"))
    assert [e.action for e in entries] == [Action.CREATE, Action.UPDATE]
    assert entries[0].changes["code"] == [None, "P-1"]
    assert entries[1].changes == {"name_ar": ["مشروع P-1", "مشروع معدل"], "status": ["planned", "in_progress"]}
    assert entries[1].actor == coordinator_a
    assert entries[1].version == 2

    from masar.core.services import model_delete

    model_delete(instance=project, actor=coordinator_a)
    last = AuditEntry.objects.order_by("-id").first()
    assert last.action == Action.DELETE and last.changes["code"] == ["P-1", None]


def test_audit_verify_passes_on_an_intact_trail(ministry_a, axis, capsys):
    make_project("P-1", ministry_a, axis)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_a_stale_update_is_refused_changes_nothing_and_tells_what_changed(ministry_a, axis, coordinator_a, manager_a):
    project = make_project("P-1", ministry_a, axis, manager=manager_a)
    project_update(project=project, actor=coordinator_a, expected_version=1, planned_end=datetime.date(2026, 12, 31))
    with pytest.raises(StaleEditError) as caught:
        project_update(project=project, actor=manager_a, expected_version=1, name_ar="اسم قديم")
    project.refresh_from_db()
    assert project.name_ar == "مشروع P-1" and project.version == 2
    assert [e.changes for e in caught.value.changes_since] == [{"planned_end": ["2026-06-30", "2026-12-31"]}]
    assert AuditEntry.objects.for_object(project).count() == 2


def test_an_invalid_update_saves_nothing_and_keeps_the_version(ministry_a, axis, coordinator_a):
    from django.core.exceptions import ValidationError

    project = make_project("P-1", ministry_a, axis)
    with pytest.raises(ValidationError) as caught:
        project_update(project=project, actor=coordinator_a, expected_version=1, planned_end=datetime.date(2024, 1, 1))
    assert "planned_end" in caught.value.message_dict
    project.refresh_from_db()
    assert project.version == 1 and project.planned_end == datetime.date(2026, 6, 30)
    assert AuditEntry.objects.for_object(project).count() == 1


def test_secret_material_is_refused_with_a_clear_message(ministry_a, axis):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with pytest.raises(ValidationError) as caught:
        make_project("P-S", ministry_a, axis, classification="secret")
    error = caught.value.error_dict["classification"][0]
    assert error.code == "secret"
    with translation.override("en"):
        assert "does not hold secret material" in " ".join(error.messages)
    with translation.override("ar"):
        assert "سرية" in " ".join(error.messages)
    assert not AuditEntry.objects.filter(object_repr__contains="P-S").exists()
