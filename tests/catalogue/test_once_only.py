"""Once-only opportunities: who holds each required document and the agreements in place with the service's owner."""

import datetime

import pytest
from django.utils import timezone

from masar.accounts.models import Role
from masar.catalogue.once_only import documents_with_holders
from masar.exchange.models import AgreementAction, SharingAgreement
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.accounts.factories import make_user
from tests.catalogue.factories import make_document, make_service
from tests.exchange.factories import make_agreement, make_client


@pytest.fixture
def ministry_c(gov):
    return organization_create(
        actor=None, parent=gov, kind=OrganizationKind.MINISTRY, code="MIN-C", name_ar="وزارة الداخلية"
    )


@pytest.fixture
def directorate_b(ministry_b):
    return organization_create(
        actor=None,
        parent=ministry_b,
        kind=OrganizationKind.DIRECTORATE,
        code="MIN-B-D1",
        name_ar="مديرية الحالة المدنية",
    )


def approved(client, owner, national, **extra):
    return make_agreement(client, owner, decide=AgreementAction.APPROVE, decided_by=national, **extra)


def agreements_of(rows, document):
    row = next(r for r in rows if r.document.pk == document.pk)
    return {item.agreement.pk for item in row.agreements}


def test_the_agreements_between_the_holders_line_and_the_owners_line_are_found(
    ministry_a, directorate_a, ministry_b, directorate_b, ministry_c, national
):
    service = make_service(ministry_a)
    birth = make_document(service, "مضمون ولادة", held_by=directorate_b)
    system_a, system_d = make_client(ministry_a), make_client(directorate_a)
    wanted = {
        approved(system_a, ministry_b, national).pk,  # granted by the holder's ministry: covers its directorate
        approved(system_d, directorate_b, national).pk,  # a system of a directorate of the owner
    }
    make_agreement(system_a, directorate_b)  # requested, not approved
    refused = make_agreement(system_a, directorate_b, decide=AgreementAction.REFUSE, decided_by=national)
    approved(make_client(ministry_c), directorate_b, national)  # another ministry's system
    approved(system_a, ministry_c, national)  # data of another ministry than the holder
    rows = documents_with_holders(national, service)
    assert agreements_of(rows, birth) == wanted
    assert refused.pk not in agreements_of(rows, birth)
    assert SharingAgreement.objects.count() == 6


def test_a_document_held_by_the_owner_itself_or_by_no_one_has_no_agreement(ministry_a, ministry_b, national):
    service = make_service(ministry_a)
    own = make_document(service, "وصل", held_by=ministry_a)
    nobody = make_document(service, "صورة")
    held = make_document(service, "مضمون ولادة", held_by=ministry_b)
    agreement = approved(make_client(ministry_a), ministry_a, national)  # the owner's own data: not once-only
    other = approved(make_client(ministry_a), ministry_b, national)
    rows = documents_with_holders(national, service)
    assert [r.document.pk for r in rows] == [own.pk, nobody.pk, held.pk]
    assert [r.once_only for r in rows] == [False, False, True]
    assert agreements_of(rows, own) == set() and agreements_of(rows, nobody) == set()
    assert agreements_of(rows, held) == {other.pk} and agreement.pk not in agreements_of(rows, held)


def test_an_expired_agreement_is_shown_as_no_longer_in_force(ministry_a, ministry_b, national):
    service = make_service(ministry_a)
    held = make_document(service, held_by=ministry_b)
    agreement = approved(make_client(ministry_a), ministry_b, national)
    today = timezone.localdate()
    assert documents_with_holders(national, service, today=today)[0].agreements[0].in_force
    SharingAgreement.objects.filter(pk=agreement.pk).update(expires_on=today - datetime.timedelta(days=1))
    rows = documents_with_holders(national, service, today=today)
    assert agreements_of(rows, held) == {agreement.pk} and not rows[0].agreements[0].in_force


def test_each_reader_sees_only_the_agreements_that_concern_them(
    ministry_a, ministry_b, ministry_c, coordinator_a, viewer_a, coordinator_b, national
):
    service = make_service(ministry_a)
    held = make_document(service, held_by=ministry_b)
    agreement = approved(make_client(ministry_a), ministry_b, national)
    outsider = make_user("coord_c", Role.SECTOR_COORDINATOR, ministry_c)
    for reader in (national, coordinator_a, viewer_a, coordinator_b):
        assert agreements_of(documents_with_holders(reader, service), held) == {agreement.pk}, reader
    assert agreements_of(documents_with_holders(outsider, service), held) == set()
    assert agreements_of(documents_with_holders(None, service), held) == set()


def test_the_read_takes_two_queries_whatever_the_number_of_documents(
    ministry_a, ministry_b, ministry_c, national, django_assert_num_queries
):
    service = make_service(ministry_a)
    for i in range(6):
        make_document(service, f"وثيقة {i}", held_by=ministry_b if i % 2 else ministry_c)
    approved(make_client(ministry_a), ministry_b, national)
    approved(make_client(ministry_a), ministry_c, national)
    service = type(service).objects.select_related("owner").get(pk=service.pk)
    with django_assert_num_queries(2):
        rows = documents_with_holders(national, service)
        assert sum(len(r.agreements) for r in rows) == 6
