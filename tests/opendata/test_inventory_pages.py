"""The inventory's pages: who sees which dataset, and the governance flows through the pages (POST only)."""

import re

import pytest
from django.utils.translation import gettext, override

from masar.audit.models import AuditEntry
from masar.core.models import Classification
from masar.opendata.models import (
    ChangeStatus,
    Dataset,
    DatasetChange,
    Licence,
    Publication,
    PublicationStatus,
    PublicView,
)
from tests.opendata.factories import make_dataset


def listed_codes(body):
    return set(re.findall(r'<code dir="ltr" class="muted">([^<]+)</code>', body))


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def inventory(open_projects, national, ministry_a, ministry_b, coordinator_a):
    """Return (dataset of ministry A, dataset of ministry B, the published dataset of the government)."""
    own = make_dataset(
        "obstacles-a",
        ministry_a,
        by=national,
        classification=Classification.RESTRICTED,
        record_type="obstacles",
        steward=coordinator_a,
        quality_notes="ملاحظات داخلية عن الجودة",
    )
    other = make_dataset(
        "obstacles-b", ministry_b, by=national, classification=Classification.CONFIDENTIAL, record_type="documents"
    )
    return own, other, open_projects[0].dataset


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("national", {"obstacles-a", "obstacles-b", "projects-national"}),
        ("coordinator_a", {"obstacles-a", "projects-national"}),
        (None, {"projects-national"}),
    ],
)
def test_each_reader_sees_their_part_of_the_inventory(inventory, client_for, request, who, seen):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    response = client.get("/ar/opendata/inventory/")
    assert response.status_code == 200
    assert listed_codes(response.content.decode()) == seen
    for dataset in inventory:
        expected = 200 if dataset.code in seen else 404
        assert client.get(f"/fr/opendata/inventory/{dataset.code}/").status_code == expected, dataset.code


def test_the_public_reads_no_staff_name_change_or_trail(inventory, national, client_for):
    own, _other, published = inventory
    public = client_for(None).get(f"/en/opendata/inventory/{published.code}/").content.decode()
    signed_in = client_for(national).get(f"/en/opendata/inventory/{published.code}/").content.decode()
    for marker in ('id="changes-title"', 'id="audit-title"', "<dt>Data steward</dt>"):
        assert marker in signed_in  # positive control
        assert marker not in public
    assert 'name="steward"' not in client_for(None).get("/ar/opendata/inventory/").content.decode()


def test_the_filters_narrow_the_inventory(inventory, national, ministry_a, coordinator_a, client_for):
    client = client_for(national)
    body = client.get("/en/opendata/inventory/", {"classification": Classification.CONFIDENTIAL}).content.decode()
    assert listed_codes(body) == {"obstacles-b"}
    assert listed_codes(client.get("/en/opendata/inventory/", {"owner": ministry_a.pk}).content.decode()) == {
        "obstacles-a"
    }
    assert listed_codes(client.get("/en/opendata/inventory/", {"steward": coordinator_a.pk}).content.decode()) == {
        "obstacles-a"
    }
    assert listed_codes(client.get("/en/opendata/inventory/", {"record_type": "projects"}).content.decode()) == {
        "projects-national"
    }
    assert client.get("/en/opendata/inventory/", {"classification": "secret"}).status_code == 400


def test_the_steward_edits_the_description_and_a_stale_edit_is_refused(inventory, coordinator_a, client_for):
    own, *_ = inventory
    client = client_for(coordinator_a)
    form = client.get(f"/fr/opendata/inventory/{own.code}/edit/")
    assert form.status_code == 200
    data = {
        "version": own.version,
        "name_ar": own.name_ar,
        "name_fr": "Obstacles du ministère A",
        "legal_basis": "Décret 2020-1",
        "update_frequency": "weekly",
        "lineage": ["pages", "import"],
        "retention_months": "٢٤",
        "steward": coordinator_a.pk,
    }
    response = client.post(f"/fr/opendata/inventory/{own.code}/edit/", data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name_fr, own.retention_months, own.lineage) == ("Obstacles du ministère A", 24, ["pages", "import"])
    stale = client.post(f"/fr/opendata/inventory/{own.code}/edit/", {**data, "name_fr": "Autre nom"})
    assert stale.status_code == 409
    own.refresh_from_db()
    assert own.name_fr == "Obstacles du ministère A"


def test_only_a_steward_edits(inventory, viewer_a, coordinator_b, client_for):
    own, *_ = inventory
    assert client_for(viewer_a).get(f"/ar/opendata/inventory/{own.code}/edit/").status_code == 403
    assert client_for(coordinator_b).get(f"/ar/opendata/inventory/{own.code}/edit/").status_code == 404
    response = client_for(viewer_a).post(f"/ar/opendata/inventory/{own.code}/changes/", {"reason": "x"})
    assert response.status_code == 403
    assert not DatasetChange.objects.exists()


def test_a_change_of_classification_is_requested_then_approved_by_the_national_unit(
    inventory, coordinator_a, national, client_for
):
    own, *_ = inventory
    coordinator = client_for(coordinator_a)
    refused = coordinator.post(
        f"/en/opendata/inventory/{own.code}/changes/", {"classification": Classification.PUBLIC}, follow=True
    )
    assert "Say why the classification or the owner should change." in messages_of(refused)
    assert not DatasetChange.objects.exists()
    coordinator.post(
        f"/en/opendata/inventory/{own.code}/changes/",
        {"classification": Classification.PUBLIC, "reason": "Open the list of obstacles"},
    )
    change = DatasetChange.objects.get()
    assert change.status == ChangeStatus.PENDING
    own.refresh_from_db()
    assert own.classification == Classification.RESTRICTED  # nothing applied before the decision

    assert coordinator.post(f"/en/opendata/changes/{change.pk}/decide/", {"action": "approve"}).status_code == 403
    page = client_for(national).get(f"/en/opendata/inventory/{own.code}/").content.decode()
    assert f'action="/en/opendata/changes/{change.pk}/decide/"' in page
    refusal = client_for(national).post(f"/en/opendata/changes/{change.pk}/decide/", {"action": "refuse"}, follow=True)
    assert "Give the reason for the refusal." in messages_of(refusal)
    client_for(national).post(f"/en/opendata/changes/{change.pk}/decide/", {"action": "approve"})
    change.refresh_from_db()
    own.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and own.classification == Classification.PUBLIC
    assert AuditEntry.objects.for_object(own).filter(changes__has_key="classification").exists()


def _draft_data(**extra):
    data = {
        "name": "obstacles-open",
        "view": PublicView.PROJECTS,
        "title_ar": "العقبات",
        "title_fr": "Les obstacles",
        "title_en": "Obstacles",
        "description_ar": "وصف",
        "description_fr": "Description",
        "description_en": "Description",
        "licence": Licence.CC_BY_4,
        "themes": ["GOVE"],
        "keywords": "عقبات، obstacles",
    }
    data.update(extra)
    return data


def test_a_publication_without_a_licence_is_refused_with_the_reason(inventory, coordinator_a, client_for):
    own, *_ = inventory
    response = client_for(coordinator_a).post(
        f"/ar/opendata/inventory/{own.code}/publications/new/", _draft_data(licence="")
    )
    assert response.status_code == 400
    assert not Publication.objects.filter(name="obstacles-open").exists()
    with_language = client_for(coordinator_a).post(
        f"/en/opendata/inventory/{own.code}/publications/new/", _draft_data(licence="")
    )
    assert "Choose the licence under which the data is published." in with_language.content.decode()


def test_a_confidential_dataset_cannot_be_proposed_and_the_page_says_why(inventory, national, client_for):
    _own, other, _published = inventory
    client = client_for(national)
    created = client.post(f"/en/opendata/inventory/{other.code}/publications/new/", _draft_data(name="shut"))
    assert created.status_code == 302
    publication = Publication.objects.get(name="shut")
    assert publication.keywords == ["عقبات", "obstacles"] and publication.licence == Licence.CC_BY_4
    page = client.get("/en/opendata/publications/shut/").content.decode()
    reasons = re.search(r'<ul class="reasons refusals">(.*?)</ul>', page, re.S).group(1)
    assert "only public data is published" in reasons
    proposed = client.post("/en/opendata/publications/shut/propose/", follow=True)
    assert any("only public data is published" in message for message in messages_of(proposed))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DRAFT
    assert client_for(None).get("/en/opendata/publications/shut/").status_code == 404


def test_a_publication_is_proposed_approved_and_withdrawn_through_the_pages(
    inventory, coordinator_a, national, viewer_a, client_for, django_capture_on_commit_callbacks
):
    own, *_ = inventory
    Dataset.objects.filter(pk=own.pk).update(classification=Classification.PUBLIC)
    coordinator = client_for(coordinator_a)
    assert coordinator.get(f"/fr/opendata/inventory/{own.code}/publications/new/").status_code == 200
    assert not Publication.objects.filter(name="obstacles-open").exists()  # the form page wrote nothing
    coordinator.post(f"/fr/opendata/inventory/{own.code}/publications/new/", _draft_data())
    assert client_for(viewer_a).post("/fr/opendata/publications/obstacles-open/propose/").status_code == 403
    coordinator.post("/fr/opendata/publications/obstacles-open/propose/")
    publication = Publication.objects.get(name="obstacles-open")
    assert publication.status == PublicationStatus.PROPOSED and publication.proposed_by == coordinator_a
    assert client_for(None).get("/fr/opendata/datasets/obstacles-open/").status_code == 404

    assert (
        coordinator.post("/fr/opendata/publications/obstacles-open/decide/", {"action": "approve"}).status_code == 403
    )
    nation = client_for(national)
    with django_capture_on_commit_callbacks(execute=True):
        nation.post("/fr/opendata/publications/obstacles-open/decide/", {"action": "approve"})
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert client_for(None).get("/fr/opendata/datasets/obstacles-open/").status_code == 200

    no_reason = nation.post("/fr/opendata/publications/obstacles-open/decide/", {"action": "withdraw"}, follow=True)
    with override("fr"):
        assert gettext("Give the reason.") in messages_of(no_reason)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    nation.post("/fr/opendata/publications/obstacles-open/decide/", {"action": "withdraw", "reason": "Erreur"})
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.refusal_reason == "Erreur"
    assert client_for(None).get("/fr/opendata/datasets/obstacles-open/").status_code == 404

    page = coordinator.get("/fr/opendata/publications/obstacles-open/").content.decode()
    assert "Erreur" in page and 'action="/fr/opendata/publications/obstacles-open/revise/"' in page
    coordinator.post("/fr/opendata/publications/obstacles-open/revise/")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DRAFT


def test_the_publication_page_shows_the_last_generation_error(open_projects, national, client_for):
    publication, *_ = open_projects
    Publication.objects.filter(pk=publication.pk).update(last_error="disk full")
    body = client_for(national).get(f"/en/opendata/publications/{publication.name}/").content.decode()
    assert "disk full" in body and "The last generation of the files failed" in body


def test_the_anonymous_visitor_is_sent_to_the_portal_for_a_served_publication(open_projects, client_for):
    publication, *_ = open_projects
    response = client_for(None).get(f"/ar/opendata/publications/{publication.name}/")
    assert response.status_code == 302 and response["Location"] == f"/ar/opendata/datasets/{publication.name}/"


def test_no_write_on_get(inventory, national, client_for):
    own, *_ = inventory
    client = client_for(national)
    before = (Publication.objects.count(), DatasetChange.objects.count(), AuditEntry.objects.count())
    for path in (
        f"/ar/opendata/inventory/{own.code}/changes/",
        "/ar/opendata/publications/projets-2025-2026/decide/",
        "/ar/opendata/publications/projets-2025-2026/propose/",
    ):
        assert client.get(path).status_code == 405
    assert (Publication.objects.count(), DatasetChange.objects.count(), AuditEntry.objects.count()) == before


def test_the_steward_edits_a_draft_and_a_stale_edit_is_refused(inventory, coordinator_a, client_for):
    own, *_ = inventory
    client = client_for(coordinator_a)
    client.post(f"/en/opendata/inventory/{own.code}/publications/new/", _draft_data())
    publication = Publication.objects.get(name="obstacles-open")
    assert client.get("/en/opendata/publications/obstacles-open/edit/").status_code == 200
    data = _draft_data(name="renamed", title_en="Obstacles met", version=publication.version)
    assert client.post("/en/opendata/publications/obstacles-open/edit/", data).status_code == 302
    publication.refresh_from_db()
    assert (publication.name, publication.title_en) == ("obstacles-open", "Obstacles met")  # the name stays
    stale = client.post("/en/opendata/publications/obstacles-open/edit/", {**data, "title_en": "Other"})
    assert stale.status_code == 409 and "Changed by someone else since you opened it" in stale.content.decode()
    publication.refresh_from_db()
    assert publication.title_en == "Obstacles met"


def test_an_edit_without_its_version_is_refused_not_a_server_error(inventory, coordinator_a, client_for):
    own, *_ = inventory
    response = client_for(coordinator_a).post(
        f"/en/opendata/inventory/{own.code}/edit/", {"name_ar": "اسم", "update_frequency": "weekly"}
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.name_ar != "اسم"
