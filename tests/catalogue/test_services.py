"""Writes of the catalogue: who adds and changes a service, its documents and project links; versioned and audited."""

import datetime

import pytest

from masar.audit.models import Action, AuditEntry
from masar.catalogue.models import DigitizationLevel, Service, ServiceProject
from masar.catalogue.services import (
    DocumentEntry,
    ServiceInvalid,
    service_create,
    service_documents_set,
    service_project_link,
    service_project_unlink,
    service_update,
)
from masar.core.errors import NotPermitted, StaleEditError
from masar.core.models import Classification
from masar.core.policy import Reader
from tests.catalogue.factories import make_document, make_service
from tests.portfolio.factories import make_project


def data(owner, code="SRV-NEW", **extra):
    return {
        "code": code,
        "owner": owner,
        "name_ar": "استخراج مضمون ولادة",
        "name_fr": "Extrait de naissance",
        "audiences": ["citizens"],
        "channels": ["counter", "web"],
        "level": DigitizationLevel.SUBMISSION,
        **extra,
    }


def entries_for(service):
    return AuditEntry.objects.filter(model_label="catalogue.service", object_id=str(service.pk)).order_by("seq")


# Creating -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["national", "coordinator_a", "registry_a"])
def test_the_national_unit_the_owners_coordinator_and_its_registry_add_a_service(who, request, ministry_a):
    actor = request.getfixturevalue(who)
    service = service_create(actor=actor, data=data(ministry_a))
    assert Service.objects.get(code="SRV-NEW").owner == ministry_a
    assert service.channels == ",counter,web,"
    (entry,) = entries_for(service)
    assert entry.action == Action.CREATE
    assert entry.changes["name_ar"] == [None, "استخراج مضمون ولادة"]


def test_a_coordinator_adds_a_service_for_a_directorate_under_the_ministry(coordinator_a, directorate_a):
    assert service_create(actor=coordinator_a, data=data(directorate_a)).owner == directorate_a


@pytest.mark.parametrize(
    "who, owner",
    [
        ("viewer_a", "ministry_a"),
        ("manager_a", "ministry_a"),
        ("coordinator_b", "ministry_a"),
        ("coordinator_a", "ministry_b"),
        ("registry_a", "ministry_b"),
        (None, "ministry_a"),
    ],
)
def test_others_may_not_add_a_service_and_nothing_is_written(who, owner, request, trail):
    actor = request.getfixturevalue(who) if who else None
    owner = request.getfixturevalue(owner)
    before = trail()
    with pytest.raises(NotPermitted):
        service_create(actor=actor, data=data(owner))
    assert Service.objects.count() == 0
    assert trail() == before


def test_a_client_without_the_scope_to_write_services_may_not_add_one(ministry_a, trail):
    from tests.exchange.factories import make_client

    reader_only = Reader.client(make_client(ministry_a, scopes=("services:read", "service_usage:write")))
    before = trail()
    with pytest.raises(NotPermitted):
        service_create(actor=reader_only, data=data(ministry_a))
    assert (Service.objects.count(), trail()) == (0, before)


def test_a_client_may_not_add_a_service_above_its_clearance(ministry_a, trail):
    from tests.exchange.factories import make_client

    client = Reader.client(make_client(ministry_a, scopes=("services:write",), clearance=Classification.PUBLIC))
    with pytest.raises(NotPermitted):
        service_create(actor=client, data=data(ministry_a, classification=Classification.RESTRICTED))
    assert Service.objects.count() == 0
    assert service_create(actor=client, data=data(ministry_a)).classification == Classification.PUBLIC


def test_an_invalid_service_is_refused_whole_with_every_broken_rule(national, ministry_a, trail):
    before = trail()
    with pytest.raises(ServiceInvalid) as refused:
        service_create(actor=national, data=data(ministry_a, name_ar="", level=9, channels=["web", "pigeon"], code="X"))
    assert [field for field, _ in refused.value.errors] == ["channels"]  # unknown enum values first
    with pytest.raises(ServiceInvalid) as refused:
        service_create(actor=national, data=data(ministry_a, name_ar="", level=9, online_url="not a url"))
    assert {field for field, _ in refused.value.errors} == {"name_ar", "level", "online_url"}
    assert (Service.objects.count(), trail()) == (0, before)


def test_the_rating_counts_cannot_be_given_by_a_form(national, ministry_a):
    service = service_create(actor=national, data=data(ministry_a, rating_count=1000, rating_total=5000))
    service.refresh_from_db()
    assert (service.rating_count, service.rating_total) == (0, 0)


# Changing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["national", "coordinator_a"])
def test_those_who_may_change_a_service_do_and_the_trail_names_the_fields_changed(who, request, ministry_a):
    actor = request.getfixturevalue(who)
    service = make_service(ministry_a, level=1)
    updated = service_update(
        actor=actor,
        service=service,
        data={"level": DigitizationLevel.FULLY_ONLINE, "name_fr": "Nouveau nom"},
        expected_version=service.version,
    )
    assert (updated.level, updated.name_fr, updated.version) == (4, "Nouveau nom", 2)
    last = entries_for(service).last()
    assert last.action == Action.UPDATE and last.actor == actor
    assert last.changes == {"level": [1, 4], "name_fr": [service.name_fr, "Nouveau nom"]}


@pytest.mark.parametrize("who", ["viewer_a", "manager_a", "coordinator_b", "registry_b"])
def test_others_may_not_change_a_service_and_nothing_moves(who, request, ministry_a, ministry_b, trail):
    if who == "registry_b":
        from tests.exchange.factories import make_client

        actor = Reader.client(make_client(ministry_b, scopes=("services:write",)))
    else:
        actor = request.getfixturevalue(who)
    service = make_service(ministry_a, level=1)
    before = trail()
    with pytest.raises(NotPermitted):
        service_update(actor=actor, service=service, data={"level": 5}, expected_version=service.version)
    service.refresh_from_db()
    assert (service.level, service.version, trail()) == (1, 1, before)


def test_the_owners_registry_changes_its_service(registry_a, ministry_a):
    service = make_service(ministry_a, level=1)
    assert service_update(actor=registry_a, service=service, data={"level": 3}, expected_version=1).level == 3


def test_a_stale_edit_is_refused_and_changes_nothing(coordinator_a, ministry_a, trail):
    service = make_service(ministry_a, level=1)
    service_update(actor=coordinator_a, service=service, data={"level": 2}, expected_version=1)
    before = trail()
    with pytest.raises(StaleEditError) as stale:
        service_update(actor=coordinator_a, service=service, data={"level": 5, "name_ar": "x"}, expected_version=1)
    assert [entry.changes for entry in stale.value.changes_since] == [{"level": [1, 2]}]
    service.refresh_from_db()
    assert (service.level, service.version, service.name_ar, trail()) == (2, 2, f"خدمة {service.code}", before)


def test_a_coordinator_may_not_give_a_service_to_another_ministry(coordinator_a, ministry_b, ministry_a, trail):
    service = make_service(ministry_a)
    before = trail()
    with pytest.raises(NotPermitted):
        service_update(actor=coordinator_a, service=service, data={"owner": ministry_b}, expected_version=1)
    service.refresh_from_db()
    assert (service.owner, service.version, trail()) == (ministry_a, 1, before)


def test_the_national_unit_moves_a_service_to_another_ministry(national, ministry_a, ministry_b):
    service = make_service(ministry_a)
    moved = service_update(actor=national, service=service, data={"owner": ministry_b}, expected_version=1)
    assert moved.owner == ministry_b
    assert entries_for(service).last().changes == {"owner": [ministry_a.pk, ministry_b.pk]}


# Documents -----------------------------------------------------------------------------------------


def test_the_documents_are_replaced_in_order_and_audited_on_the_service(coordinator_a, ministry_a, ministry_b):
    service = make_service(ministry_a)
    make_document(service, "وثيقة قديمة")
    service_documents_set(
        actor=coordinator_a,
        service=service,
        documents=[DocumentEntry(name_ar=" مضمون ولادة ", held_by=ministry_b), DocumentEntry(name_ar="صورة شمسية")],
    )
    documents = list(service.documents.order_by("order"))
    assert [(d.name_ar, d.held_by, d.is_once_only_opportunity) for d in documents] == [
        ("مضمون ولادة", ministry_b, True),
        ("صورة شمسية", None, False),
    ]
    last = entries_for(service).last()
    assert last.changes == {
        "documents": [[["وثيقة قديمة", None]], [["مضمون ولادة", ministry_b.pk], ["صورة شمسية", None]]]
    }
    # The same list again changes nothing and writes nothing to the trail.
    count = entries_for(service).count()
    service_documents_set(
        actor=coordinator_a,
        service=service,
        documents=[DocumentEntry(name_ar="مضمون ولادة", held_by=ministry_b), DocumentEntry(name_ar="صورة شمسية")],
    )
    assert entries_for(service).count() == count


def test_a_document_held_by_the_owner_itself_is_no_once_only_opportunity(ministry_a):
    service = make_service(ministry_a)
    assert not make_document(service, held_by=ministry_a).is_once_only_opportunity


@pytest.mark.parametrize("who", ["viewer_a", "coordinator_b"])
def test_others_may_not_set_the_documents(who, request, ministry_a, trail):
    actor = request.getfixturevalue(who)
    service = make_service(ministry_a)
    make_document(service, "وثيقة")
    before = trail()
    with pytest.raises(NotPermitted):
        service_documents_set(actor=actor, service=service, documents=[])
    assert list(service.documents.values_list("name_ar", flat=True)) == ["وثيقة"]
    assert trail() == before


def test_a_document_without_an_arabic_name_is_refused_and_the_list_kept(coordinator_a, ministry_a, trail):
    service = make_service(ministry_a)
    make_document(service, "وثيقة")
    before = trail()
    with pytest.raises(ServiceInvalid) as refused:
        service_documents_set(
            actor=coordinator_a, service=service, documents=[DocumentEntry("أ"), DocumentEntry("  ", name_fr="X")]
        )
    assert [field for field, _ in refused.value.errors] == ["documents-1"]
    assert list(service.documents.values_list("name_ar", flat=True)) == ["وثيقة"]
    assert trail() == before


# Projects ------------------------------------------------------------------------------------------


@pytest.fixture
def projects(ministry_a, ministry_b, axis):
    return {
        "own": make_project("PA-1", ministry_a, axis),
        "public_b": make_project("PB-1", ministry_b, axis),
        "restricted_b": make_project("PB-2", ministry_b, axis, classification=Classification.RESTRICTED),
        "confidential_b": make_project("PB-3", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }


@pytest.mark.parametrize("project", ["own", "public_b", "restricted_b"])
def test_a_coordinator_links_a_project_it_may_read(project, projects, coordinator_a, ministry_a):
    service = make_service(ministry_a)
    link = service_project_link(
        actor=coordinator_a,
        service=service,
        project=projects[project],
        target_level=DigitizationLevel.FULLY_ONLINE,
        target_date=datetime.date(2026, 6, 30),
    )
    assert ServiceProject.objects.get() == link
    assert (link.target_level, link.target_date) == (4, datetime.date(2026, 6, 30))
    assert AuditEntry.objects.filter(model_label="catalogue.serviceproject", object_id=str(link.pk)).count() == 1


def test_a_project_the_actor_may_not_read_is_refused_as_not_found(projects, coordinator_a, ministry_a, trail):
    service = make_service(ministry_a)
    before = trail()
    with pytest.raises(ServiceInvalid) as refused:
        service_project_link(actor=coordinator_a, service=service, project=projects["confidential_b"], target_level=4)
    assert refused.value.errors[0][0] == "project"
    assert projects["confidential_b"].name_ar not in str(refused.value.errors)
    assert (ServiceProject.objects.count(), trail()) == (0, before)


def test_the_national_unit_links_a_confidential_project(projects, national, ministry_a):
    service = make_service(ministry_a)
    service_project_link(actor=national, service=service, project=projects["confidential_b"], target_level=5)
    assert ServiceProject.objects.count() == 1


@pytest.mark.parametrize("who", ["viewer_a", "coordinator_b"])
def test_others_may_not_link_a_project_to_the_service(who, request, projects, ministry_a, trail):
    actor = request.getfixturevalue(who)
    service = make_service(ministry_a)
    before = trail()
    with pytest.raises(NotPermitted):
        service_project_link(actor=actor, service=service, project=projects["public_b"], target_level=4)
    assert (ServiceProject.objects.count(), trail()) == (0, before)


@pytest.mark.parametrize("level", [-1, 6, 99, "3", None])
def test_a_target_level_outside_the_scale_is_refused(level, projects, coordinator_a, ministry_a, trail):
    service = make_service(ministry_a)
    before = trail()
    with pytest.raises(ServiceInvalid) as refused:
        service_project_link(actor=coordinator_a, service=service, project=projects["own"], target_level=level)
    assert refused.value.errors[0][0] == "target_level"
    assert (ServiceProject.objects.count(), trail()) == (0, before)
    for good in (0, 5):  # positive control: both ends of the scale
        service_project_link(actor=coordinator_a, service=service, project=projects["own"], target_level=good)
        assert ServiceProject.objects.get().target_level == good


def test_linking_again_updates_the_one_link_and_unlinking_removes_it(projects, coordinator_a, viewer_a, ministry_a):
    service = make_service(ministry_a)
    first = service_project_link(actor=coordinator_a, service=service, project=projects["own"], target_level=3)
    second = service_project_link(
        actor=coordinator_a,
        service=service,
        project=projects["own"],
        target_level=4,
        target_date=datetime.date(2026, 1, 1),
    )
    assert (ServiceProject.objects.count(), second.pk, second.target_level, second.version) == (1, first.pk, 4, 2)
    with pytest.raises(NotPermitted):
        service_project_unlink(actor=viewer_a, link=second)
    assert ServiceProject.objects.count() == 1
    service_project_unlink(actor=coordinator_a, link=second)
    assert ServiceProject.objects.count() == 0
    assert AuditEntry.objects.filter(
        model_label="catalogue.serviceproject", object_id=str(first.pk), action=Action.DELETE
    ).exists()


def test_an_invalid_change_is_refused_whole_and_the_version_kept(coordinator_a, ministry_a, trail):
    other = make_service(ministry_a, code="TAKEN")
    service = make_service(ministry_a, level=1)
    before = trail()
    with pytest.raises(ServiceInvalid) as refused:
        service_update(actor=coordinator_a, service=service, data={"code": "TAKEN", "level": 3}, expected_version=1)
    assert [field for field, _ in refused.value.errors] == ["code"]
    service.refresh_from_db()
    assert (service.code, service.level, service.version, trail()) == (service.code, 1, 1, before)
    assert other.code == "TAKEN"
    # Positive control: the same change without the taken code goes through at version 1.
    assert service_update(actor=coordinator_a, service=service, data={"level": 3}, expected_version=1).version == 2


def test_an_inactive_coordinator_adds_and_changes_nothing(coordinator_a, ministry_a, trail):
    service = make_service(ministry_a)
    coordinator_a.is_active = False
    coordinator_a.save()
    before = trail()
    with pytest.raises(NotPermitted):
        service_create(actor=coordinator_a, data=data(ministry_a))
    with pytest.raises(NotPermitted):
        service_update(actor=coordinator_a, service=service, data={"level": 5}, expected_version=1)
    assert (Service.objects.count(), trail()) == (1, before)


def test_changing_the_documents_moves_the_services_version_so_an_older_edit_is_stale(coordinator_a, ministry_a):
    from masar.catalogue.services import DocumentEntry, service_documents_set, service_update
    from masar.core.errors import StaleEditError
    from tests.catalogue.factories import make_service

    service = make_service(ministry_a)
    opened_at = service.version
    service_documents_set(actor=coordinator_a, service=service, documents=[DocumentEntry(name_ar="بطاقة التعريف")])
    assert service.version == opened_at + 1
    with pytest.raises(StaleEditError):
        service_update(actor=coordinator_a, service=service, data={"level": 2}, expected_version=opened_at)
    service_documents_set(actor=coordinator_a, service=service, documents=[DocumentEntry(name_ar="بطاقة التعريف")])
    assert service.version == opened_at + 1  # the same list again changes nothing
