"""The inventory's governance: who keeps a dataset, who changes its classification or owner, who sees it."""

import pytest

from masar.audit.models import AuditEntry
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.core.models import Classification
from masar.core.policy import Reader, inventory_q, publications_q
from masar.opendata.models import ChangeAction, ChangeStatus, Dataset
from masar.opendata.services import dataset_change_decide, dataset_change_request, dataset_update
from tests.opendata.factories import make_dataset, make_publication, publish


@pytest.fixture
def dataset_a(ministry_a, national, coordinator_a):
    return make_dataset("a-values", ministry_a, by=national, steward=coordinator_a, record_type="measurements")


def test_a_steward_keeps_the_description_but_not_the_classification(dataset_a, coordinator_a, coordinator_b):
    dataset_update(
        actor=coordinator_a,
        dataset=dataset_a,
        data={"quality_notes": "مصدرها الإدارة"},
        expected_version=dataset_a.version,
    )
    dataset_a.refresh_from_db()
    assert dataset_a.quality_notes == "مصدرها الإدارة"
    with pytest.raises(NotPermitted):
        dataset_update(
            actor=coordinator_a,
            dataset=dataset_a,
            data={"classification": Classification.CONFIDENTIAL},
            expected_version=dataset_a.version,
        )
    with pytest.raises(NotPermitted):
        dataset_update(
            actor=coordinator_b, dataset=dataset_a, data={"quality_notes": "x"}, expected_version=dataset_a.version
        )
    dataset_a.refresh_from_db()
    assert dataset_a.classification == Classification.PUBLIC and dataset_a.quality_notes == "مصدرها الإدارة"


def test_a_classification_changes_once_the_national_unit_approves_and_is_audited(
    dataset_a, coordinator_a, national, coordinator_b
):
    with pytest.raises(NotPermitted):
        dataset_change_request(actor=coordinator_b, dataset=dataset_a, reason="x", classification="restricted")
    change = dataset_change_request(
        actor=coordinator_a, dataset=dataset_a, reason="بيانات حساسة", classification=Classification.RESTRICTED
    )
    dataset_a.refresh_from_db()
    assert dataset_a.classification == Classification.PUBLIC  # nothing moves before the decision
    with pytest.raises(Invalid):
        dataset_change_request(actor=coordinator_a, dataset=dataset_a, reason="again", classification="confidential")
    with pytest.raises(NotPermitted):
        dataset_change_decide(actor=coordinator_a, change=change, action=ChangeAction.APPROVE)
    dataset_change_decide(actor=national, change=change, action=ChangeAction.APPROVE)
    dataset_a.refresh_from_db()
    change.refresh_from_db()
    assert dataset_a.classification == Classification.RESTRICTED and change.status == ChangeStatus.APPROVED
    assert change.decided_by == national
    trail = AuditEntry.objects.for_object(dataset_a)
    assert any("classification" in (entry.changes or {}) for entry in trail)
    with pytest.raises(Conflict):
        dataset_change_decide(actor=national, change=change, action=ChangeAction.REFUSE, reason="late")


def test_a_refusal_needs_a_reason_and_changes_nothing(dataset_a, coordinator_a, national, ministry_b):
    change = dataset_change_request(actor=coordinator_a, dataset=dataset_a, reason="نقل", owner=ministry_b)
    with pytest.raises(Invalid):
        dataset_change_decide(actor=national, change=change, action=ChangeAction.REFUSE, reason=" ")
    dataset_change_decide(actor=national, change=change, action=ChangeAction.REFUSE, reason="لا")
    dataset_a.refresh_from_db()
    assert dataset_a.owner_id != ministry_b.pk


def test_who_sees_which_datasets_of_the_inventory(
    gov, dataset_a, ministry_b, national, coordinator_a, coordinator_b, viewer_a, program
):
    other = make_dataset("b-projects", ministry_b, by=national)
    published = make_dataset("gov-projects", gov, by=national)
    hidden = make_dataset("gov-unpublished", gov, by=national, classification=Classification.CONFIDENTIAL)
    publish(make_publication("gov-projects", published, by=national, strategy=program), by=national)

    def seen(who):
        return set(Dataset.objects.filter(inventory_q(who)).values_list("code", flat=True))

    assert seen(national) == {"a-values", "b-projects", "gov-projects", "gov-unpublished"}
    assert seen(coordinator_a) == {"a-values", "gov-projects", "gov-unpublished"}  # its subtree and its line
    assert "a-values" not in seen(coordinator_b) and "b-projects" in seen(coordinator_b)
    assert seen(Reader.public()) == {"gov-projects"}
    assert hidden.code not in seen(Reader.public()) and other.code not in seen(viewer_a)


def test_the_public_sees_a_dataset_s_published_datasets_only_never_its_drafts(gov, national, program, client):
    from masar.opendata.models import Publication

    dataset = make_dataset("gov-mixed", gov, by=national)
    publish(make_publication("mixed-published", dataset, by=national, strategy=program), by=national)
    make_publication("mixed-draft", dataset, by=national, strategy=program)

    def seen(who):
        return set(Publication.objects.filter(publications_q(who)).values_list("name", flat=True))

    assert seen(national) == {"mixed-published", "mixed-draft"}
    assert seen(Reader.public()) == {"mixed-published"}
    page = client.get("/ar/opendata/inventory/gov-mixed/").content.decode()
    assert "mixed-published" in page and "mixed-draft" not in page
    assert client.get("/ar/opendata/publications/mixed-draft/").status_code == 404
