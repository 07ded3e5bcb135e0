"""Approving several submissions in one POST: each through its own service, each whole or not at all."""

from masar.delivery.models import ProgressUpdate, UpdateStatus
from masar.delivery.services import updates as update_services
from masar.indicators.models import Measurement, MeasurementStatus
from masar.workspace.selectors import ReviewKind


def key(kind, record):
    return f"{kind}-{record.pk}"


def statuses():
    return (
        dict(ProgressUpdate.objects.values_list("pk", "status")),
        dict(Measurement.objects.values_list("pk", "status")),
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_a_coordinator_approves_several_and_is_told_what_was_refused_and_why(
    month, client_for, coordinator_a, national
):
    submitted, v2024, v2025, own = (
        month.updates["submitted"],
        month.values["2024"],
        month.values["2025"],
        month.values["own"],
    )
    before_2025 = v2025.status
    response = client_for(coordinator_a).post(
        "/en/my-work/approve/",
        {
            "item": [
                key(ReviewKind.UPDATE, submitted),
                key(ReviewKind.VALUE, v2024),
                key(ReviewKind.VALUE, own),
            ]
        },
        follow=True,
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    v2024.refresh_from_db()
    own.refresh_from_db()
    assert submitted.status == UpdateStatus.APPROVED and submitted.reviewed_by == coordinator_a
    assert v2024.status == MeasurementStatus.APPROVED and v2024.decided_by == coordinator_a
    assert own.status == MeasurementStatus.SUBMITTED  # one's own submission is refused
    v2025.refresh_from_db()
    assert v2025.status == before_2025 == MeasurementStatus.SUBMITTED  # not chosen, not touched
    said = messages_of(response)
    assert any(m.startswith("Approved: P-A1") for m in said)
    assert any(m.startswith("Approved: IND-A 2024") for m in said)
    assert any("IND-A 2022" in m and "someone else" in m for m in said)


def test_a_submission_approved_by_someone_else_first_is_refused_and_the_others_approved(
    month, client_for, coordinator_a, national
):
    submitted, v2024 = month.updates["submitted"], month.values["2024"]
    update_services.update_approve(update=submitted, actor=national)  # the national unit was faster
    response = client_for(coordinator_a).post(
        "/en/my-work/approve/",
        {"item": [key(ReviewKind.UPDATE, submitted), key(ReviewKind.VALUE, v2024)]},
        follow=True,
    )
    submitted.refresh_from_db()
    v2024.refresh_from_db()
    assert submitted.reviewed_by == national  # unchanged by the second approver
    assert v2024.status == MeasurementStatus.APPROVED
    said = messages_of(response)
    assert any(m.startswith("Not approved: P-A1") for m in said)
    assert any(m.startswith("Approved: IND-A 2024") for m in said)


def test_a_viewer_is_refused_and_nothing_changes(month, client_for, viewer_a, manager_a):
    before = statuses()
    chosen = [key(ReviewKind.UPDATE, month.updates["submitted"]), key(ReviewKind.VALUE, month.values["2024"])]
    assert client_for(viewer_a).post("/en/my-work/approve/", {"item": chosen}).status_code == 403
    assert client_for(manager_a).post("/en/my-work/approve/", {"item": chosen}).status_code == 403
    assert statuses() == before
    assert client_for(viewer_a).get("/en/my-work/approve/").status_code == 405


def test_a_coordinator_of_another_ministry_has_every_item_refused(month, client_for, coordinator_b):
    before = statuses()
    chosen = [
        key(ReviewKind.UPDATE, month.updates["submitted"]),
        key(ReviewKind.VALUE, month.values["2024"]),
        "project-1",
    ]
    response = client_for(coordinator_b).post("/en/my-work/approve/", {"item": chosen}, follow=True)
    assert response.status_code == 200
    assert statuses() == before
    said = messages_of(response)
    assert len(said) == 3 and all(m.startswith("Not approved") for m in said)
    assert sum("not among those you may read" in m for m in said) == 2  # internal to ministry A
