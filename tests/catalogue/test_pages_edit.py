"""The owners' catalogue pages that change things: add and edit a service, its documents, its projects, its usage."""

import datetime
import re

import pytest
from django.utils import translation

from masar.audit.models import AuditEntry
from masar.catalogue.models import (
    Channel,
    DigitizationLevel,
    RequiredDocument,
    Service,
    ServiceProject,
    ServiceUsage,
)
from masar.core.models import Classification
from tests.catalogue.factories import make_document, make_project_link, make_service, make_usage
from tests.html import field_error
from tests.portfolio.factories import make_project


@pytest.fixture
def service(ministry_a):
    return make_service(
        ministry_a,
        code="SRV-A",
        name_ar="استخراج مضمون ولادة",
        channels=[Channel.COUNTER],
        audiences=["citizens"],
        level=DigitizationLevel.FORMS,
    )


def payload(service=None, **changes):
    data = {
        "code": "SRV-NEW",
        "name_ar": "رخصة بناء",
        "name_fr": "Permis de bâtir",
        "name_en": "",
        "description_ar": "",
        "description_fr": "",
        "description_en": "",
        "classification": Classification.PUBLIC,
        "audiences": ["citizens", "businesses"],
        "channels": ["web", "counter"],
        "level": "2",
        "steps_ar": "",
        "steps_fr": "",
        "steps_en": "",
        "fee": "",
        "fee_currency": "",
        "fee_note_ar": "",
        "fee_note_fr": "",
        "fee_note_en": "",
        "processing_days": "",
        "legal_basis_ar": "",
        "legal_basis_fr": "",
        "legal_basis_en": "",
        "online_url": "",
        "life_event": "",
        "category": "",
    }
    if service is not None:
        data.update(
            code=service.code,
            name_ar=service.name_ar,
            name_fr=service.name_fr,
            owner=service.owner_id,
            classification=service.classification,
            audiences=service.audience_list,
            channels=service.channel_list,
            level=str(service.level),
            version=service.version,
        )
    data.update(changes)
    return data


# Adding a service ------------------------------------------------------------------------------


def test_a_coordinator_adds_a_service_for_their_ministry_and_it_is_audited(
    ministry_a, directorate_a, client_for, coordinator_a
):
    response = client_for(coordinator_a).post(
        "/ar/services/new/", payload(owner=directorate_a.pk, fee="12,5", fee_currency="TND")
    )
    assert response.status_code == 302
    created = Service.objects.get(code="SRV-NEW")
    assert response["Location"] == f"/ar/services/{created.pk}/"
    assert created.owner == directorate_a and created.level == 2
    assert created.audiences == ",businesses,citizens," and created.channels == ",counter,web,"
    assert str(created.fee) == "12.500"
    assert AuditEntry.objects.filter(model_label="catalogue.service", object_id=str(created.pk)).count() == 1


def test_the_owner_is_chosen_among_the_organizations_the_reader_may_add_services_for(
    ministry_a, ministry_b, client_for, coordinator_a, coordinator_b, viewer_a
):
    page = client_for(coordinator_a).get("/ar/services/new/").content.decode()
    options = set(re.findall(r'<option value="(\d+)"', re.search(r'<select name="owner".*?</select>', page, re.S)[0]))
    assert options == {str(ministry_a.pk)}
    response = client_for(coordinator_a).post("/ar/services/new/", payload(owner=ministry_b.pk))
    assert response.status_code == 400 and field_error(response.content.decode(), "id_owner")
    assert client_for(viewer_a).post("/ar/services/new/", payload(owner=ministry_a.pk)).status_code == 403
    assert client_for(coordinator_b).post("/ar/services/new/", payload(owner=ministry_b.pk)).status_code == 302
    assert list(Service.objects.values_list("owner", flat=True)) == [ministry_b.pk]


def test_errors_are_shown_beside_their_fields_in_the_readers_language(ministry_a, service, client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        "/fr/services/new/",
        payload(owner=ministry_a.pk, code=service.code, name_ar="", level="9", online_url="pas une adresse"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce champ est obligatoire" in field_error(body, "id_name_ar")
    assert "Sélectionnez un choix valide" in field_error(body, "id_level")
    assert "Saisissez une URL valide" in field_error(body, "id_online_url")
    assert Service.objects.count() == 1
    # A rule of the service (the code is taken) is shown beside its field too.
    response = client_for(coordinator_a).post("/fr/services/new/", payload(owner=ministry_a.pk, code=service.code))
    assert response.status_code == 400
    assert "existe déjà" in field_error(response.content.decode(), "id_code")
    assert Service.objects.count() == 1


# Editing a service -----------------------------------------------------------------------------


def test_only_who_may_change_a_service_edits_it(service, client_for, coordinator_a, viewer_a, coordinator_b):
    url = f"/ar/services/{service.pk}/edit/"
    for reader in (viewer_a, coordinator_b):
        assert client_for(reader).get(url).status_code == 403
        assert client_for(reader).post(url, payload(service, name_ar="تغيير")).status_code == 403
    assert client_for(None).post(url, payload(service, name_ar="تغيير")).status_code == 302
    service.refresh_from_db()
    assert service.name_ar == "استخراج مضمون ولادة" and service.version == 1
    form = client_for(coordinator_a).get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="version" value="1"' in body
    assert re.search(r'<input type="checkbox" name="channels" value="counter"[^>]*checked', body)
    response = client_for(coordinator_a).post(url, payload(service, name_ar="تغيير", channels=["web"], level="3"))
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name_ar, service.channels, service.level, service.version) == ("تغيير", ",web,", 3, 2)


def test_a_stale_edit_is_refused_and_shows_what_changed_meanwhile(service, client_for, coordinator_a, national):
    url = f"/en/services/{service.pk}/edit/"
    stale = payload(service, name_fr="Extrait — ma version")
    assert client_for(national).post(url, payload(service, name_fr="Extrait de naissance")).status_code == 302
    response = client_for(coordinator_a).post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    section = re.search(r'<section class="stale".*?</section>', body, re.S).group(0)
    assert "Extrait de naissance" in section and "version 2" in section
    assert f'href="/en/services/{service.pk}/edit/"' in section
    service.refresh_from_db()
    assert service.name_fr == "Extrait de naissance" and service.version == 2


# Required documents ----------------------------------------------------------------------------


def documents_payload(rows, initial=0):
    data = {
        "documents-TOTAL_FORMS": str(len(rows)),
        "documents-INITIAL_FORMS": str(initial),
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "100",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"documents-{i}-{key}"] = value
    return data


def test_the_documents_are_replaced_in_the_order_asked(
    service, client_for, coordinator_a, viewer_a, coordinator_b, ministry_b
):
    make_document(service, "وثيقة قديمة")
    url = f"/ar/services/{service.pk}/documents/"
    page = client_for(coordinator_a).get(url).content.decode()
    assert 'value="وثيقة قديمة"' in page
    rows = [
        {"name_ar": "وثيقة قديمة", "ORDER": "3", "DELETE": "on"},
        {"name_ar": "بطاقة التعريف", "name_fr": "Carte d'identité", "ORDER": "2"},
        {"name_ar": "مضمون ولادة", "held_by": str(ministry_b.pk), "ORDER": "1"},
        {"name_ar": "", "ORDER": ""},  # an empty row is no document
    ]
    for reader in (viewer_a, coordinator_b):
        assert client_for(reader).post(url, documents_payload(rows, initial=1)).status_code == 403
    assert list(service.documents.values_list("name_ar", flat=True)) == ["وثيقة قديمة"]
    response = client_for(coordinator_a).post(url, documents_payload(rows, initial=1))
    assert response.status_code == 302
    documents = list(RequiredDocument.objects.filter(service=service).order_by("order"))
    assert [(d.name_ar, d.held_by_id, d.order) for d in documents] == [
        ("مضمون ولادة", ministry_b.pk, 1),
        ("بطاقة التعريف", None, 2),
    ]
    assert documents[0].is_once_only_opportunity


def test_a_document_without_its_arabic_name_is_refused_beside_its_row(service, client_for, coordinator_a):
    make_document(service, "وثيقة قديمة")
    url = f"/fr/services/{service.pk}/documents/"
    rows = [{"name_ar": "بطاقة التعريف", "ORDER": "1"}, {"name_ar": "", "name_fr": "Quittance", "ORDER": "2"}]
    response = client_for(coordinator_a).post(url, documents_payload(rows))
    assert response.status_code == 400
    with translation.override("fr"):
        from django.utils.translation import gettext

        message = gettext("Name the document in Arabic.")
    assert message in field_error(response.content.decode(), "id_documents-1-name_ar")
    assert list(service.documents.values_list("name_ar", flat=True)) == ["وثيقة قديمة"]


# Projects that digitize the service -------------------------------------------------------------


def test_a_project_is_linked_changed_and_unlinked(service, client_for, coordinator_a, ministry_a, axis):
    project = make_project("P-PUB", ministry_a, axis)
    url = f"/ar/services/{service.pk}/projects/"
    client = client_for(coordinator_a)
    page = client.get(url).content.decode()
    assert re.search(rf'<select name="project".*<option value="{project.pk}"', page, re.S)
    response = client.post(url, {"project": project.pk, "target_level": "4", "target_date": "2026-06-30"})
    assert response.status_code == 302
    link = ServiceProject.objects.get(service=service)
    assert (link.project_id, link.target_level, link.target_date) == (project.pk, 4, datetime.date(2026, 6, 30))
    assert client.post(url, {"project": project.pk, "target_level": "5", "target_date": ""}).status_code == 302
    link.refresh_from_db()
    assert (link.target_level, link.target_date) == (5, None) and ServiceProject.objects.count() == 1
    assert client.post(url, {"link": link.pk}).status_code == 302
    assert not ServiceProject.objects.exists()


def test_a_project_the_reader_may_not_read_is_refused_and_nothing_is_saved(
    service, client_for, coordinator_a, ministry_b, axis
):
    hidden = make_project("P-B", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    visible = make_project("P-B-PUB", ministry_b, axis)
    url = f"/fr/services/{service.pk}/projects/"
    page = client_for(coordinator_a).get(url).content.decode()
    choices = set(re.findall(r'<option value="(\d+)"', re.search(r'<select name="project".*?</select>', page, re.S)[0]))
    assert choices == {str(visible.pk)}
    response = client_for(coordinator_a).post(url, {"project": hidden.pk, "target_level": "4"})
    assert response.status_code == 400
    error = field_error(response.content.decode(), "id_project")
    with translation.override("fr"):
        from django.utils.translation import gettext

        assert gettext("There is no such project among those you may read.") in error
    assert "P-B" not in error
    assert not ServiceProject.objects.exists()
    # An id that names no project is told the same, so an id cannot be probed for a hidden project.
    unknown = client_for(coordinator_a).post(url, {"project": hidden.pk + 1000, "target_level": "4"})
    assert field_error(unknown.content.decode(), "id_project") == error
    assert client_for(coordinator_a).post(url, {"project": visible.pk, "target_level": "4"}).status_code == 302
    assert ServiceProject.objects.filter(project=visible).exists()


def test_only_who_may_change_the_service_links_projects(
    service, client_for, viewer_a, coordinator_b, coordinator_a, ministry_a, axis
):
    project = make_project("P-PUB", ministry_a, axis)
    link = make_project_link(service, project, 3)
    url = f"/ar/services/{service.pk}/projects/"
    for reader in (viewer_a, coordinator_b):
        client = client_for(reader)
        assert client.get(url).status_code == 403
        assert client.post(url, {"project": project.pk, "target_level": "5"}).status_code == 403
        assert client.post(url, {"link": link.pk}).status_code == 403
    link.refresh_from_db()
    assert link.target_level == 3
    assert client_for(coordinator_a).post(url, {"link": link.pk + 99}).status_code == 404


# Usage -------------------------------------------------------------------------------------------


def test_a_month_of_usage_is_recorded_and_corrected(service, client_for, coordinator_a, viewer_a, coordinator_b):
    url = f"/ar/services/{service.pk}/usage/"
    entry = {"month": "2025-03", "channel": "web", "transactions": "١٢٠", "processing_days": "2,5", "backlog": "4"}
    for reader in (viewer_a, coordinator_b):
        assert client_for(reader).get(url).status_code == 403
        assert client_for(reader).post(url, entry).status_code == 403
    assert not ServiceUsage.objects.exists()
    assert client_for(coordinator_a).post(url, entry).status_code == 302
    usage = ServiceUsage.objects.get()
    assert (usage.month, usage.channel, usage.transactions, usage.backlog) == (datetime.date(2025, 3, 1), "web", 120, 4)
    assert str(usage.processing_days) == "2.50"
    assert client_for(coordinator_a).post(url, {**entry, "transactions": "130"}).status_code == 302
    assert ServiceUsage.objects.get().transactions == 130


def test_negative_figures_and_a_decreasing_running_total_are_refused_beside_their_fields(
    service, client_for, coordinator_a
):
    make_usage(service, "2025-01", Channel.WEB, 100)
    make_usage(service, "2025-02", Channel.WEB, 50)
    url = f"/en/services/{service.pk}/usage/"
    client = client_for(coordinator_a)
    response = client.post(url, {"month": "2025-03", "channel": "web", "transactions": "-5", "backlog": "-1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be negative" in field_error(body, "id_transactions")
    assert "cannot be negative" in field_error(body, "id_backlog")
    response = client.post(url, {"month": "2025-03", "channel": "web", "cumulative": "120"})
    assert response.status_code == 400
    assert "never decreases" in field_error(response.content.decode(), "id_cumulative")
    response = client.post(url, {"month": "2025-03", "channel": "web", "transactions": "5", "cumulative": "160"})
    assert response.status_code == 400 and "not both" in field_error(response.content.decode(), "id_transactions")
    assert ServiceUsage.objects.count() == 2
    assert client.post(url, {"month": "2025-03", "channel": "web", "cumulative": "180"}).status_code == 302
    assert ServiceUsage.objects.get(month=datetime.date(2025, 3, 1)).transactions == 30
