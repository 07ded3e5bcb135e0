"""Sharing agreements: requested by a system's manager, decided by the owner's coordinator, and the only way a
system reads another organization's records, while approved and unexpired."""

import datetime

import pytest
from django.utils import timezone, translation

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.delivery.models import Notification
from masar.delivery.notifications import notification_text
from masar.exchange.models import AgreementAction, AgreementStatus, RecordType, SharingAgreement
from masar.portfolio.models import Project
from tests.exchange.factories import make_agreement, make_client
from tests.portfolio.factories import make_project


@pytest.fixture
def projects(gov, ministry_a, ministry_b, axis):
    make_project("A-PUB", ministry_a, axis)
    make_project("A-RSTR", ministry_a, axis, classification=Classification.RESTRICTED)
    make_project("A-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL)
    make_project("GOV-PUB", gov, axis)
    make_project("B-PUB", ministry_b, axis)


@pytest.fixture
def system_b(ministry_b):
    return make_client(ministry_b, scopes=["projects:read"], clearance=Classification.RESTRICTED)


def codes(system):
    """Return the codes of the projects a system reads now (its reader is built afresh, as for each call)."""
    system.refresh_from_db()
    return set(Project.objects.visible_to(Reader.of(system.account)).values_list("code", flat=True))


def request_form(owner, **changes):
    data = {
        "owner": owner.pk,
        "record_type": RecordType.PROJECTS,
        "max_classification": Classification.RESTRICTED,
        "purpose": "Budget follow-up of shared projects",
        "legal_basis": "Council decision 12/2025",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
    }
    data.update(changes)
    return data


def test_request_notify_approve_and_the_system_reads_exactly_the_agreed_records(
    client_for, projects, system_b, coordinator_b, coordinator_a, viewer_a, ministry_a
):
    assert codes(system_b) == {"B-PUB"}  # deny by default: its own organization only
    response = client_for(coordinator_b).post(
        f"/en/exchange/clients/{system_b.pk}/agreements/new/", request_form(ministry_a)
    )
    agreement = SharingAgreement.objects.get()
    assert response.status_code == 302 and agreement.status == AgreementStatus.REQUESTED
    assert agreement.requested_by == coordinator_b
    told = Notification.objects.get(user=coordinator_a, kind=Notification.Kind.AGREEMENT_REQUESTED)
    with translation.override("en"):
        assert notification_text(told) == (
            "System MIN-B asks to receive Projects, their milestones and ratings of "
            "Ministry of Communication Technologies: the request waits for your decision."
        )
    assert not Notification.objects.filter(user=viewer_a).exists()
    assert codes(system_b) == {"B-PUB"}  # a request grants nothing
    page = client_for(coordinator_a).get(f"/en/exchange/agreements/{agreement.pk}/").content.decode()
    assert "Approve" in page and "Council decision 12/2025" in page
    client_for(coordinator_a).post(f"/en/exchange/agreements/{agreement.pk}/decide/", {"action": "approve"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED and agreement.decided_by == coordinator_a
    assert codes(system_b) == {"B-PUB", "A-PUB", "A-RSTR"}  # not the confidential one, nor the government's
    approved = Notification.objects.get(user=coordinator_b, kind=Notification.Kind.AGREEMENT_APPROVED)
    with translation.override("fr"):
        assert "Ministère des technologies de la communication" in notification_text(approved)


def test_only_the_owner_decides_and_the_buttons_show_only_to_them(
    client_for, system_b, coordinator_a, coordinator_b, viewer_a, national, ministry_a
):
    agreement = make_agreement(system_b, ministry_a)
    url = f"/en/exchange/agreements/{agreement.pk}/"
    assert "Approve" in client_for(national).get(url).content.decode()
    requester = client_for(coordinator_b).get(url)
    assert requester.status_code == 200 and "Approve" not in requester.content.decode()
    assert client_for(coordinator_b).post(url + "decide/", {"action": "approve"}).status_code == 403
    assert client_for(viewer_a).get(url).status_code == 404
    assert client_for(viewer_a).post(url + "decide/", {"action": "approve"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REQUESTED


def test_a_refusal_needs_a_reason_which_is_told(client_for, system_b, coordinator_a, coordinator_b, ministry_a):
    agreement = make_agreement(system_b, ministry_a)
    browser = client_for(coordinator_a)
    browser.post(f"/en/exchange/agreements/{agreement.pk}/decide/", {"action": "refuse", "note": "  "})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REQUESTED
    browser.post(f"/en/exchange/agreements/{agreement.pk}/decide/", {"action": "refuse", "note": "No legal basis"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REFUSED and agreement.decision_note == "No legal basis"
    refused = Notification.objects.get(user=coordinator_b, kind=Notification.Kind.AGREEMENT_REFUSED)
    with translation.override("en"):
        assert notification_text(refused).endswith("was refused: No legal basis")


def test_an_expired_agreement_grants_nothing(projects, system_b, coordinator_a, ministry_a):
    agreement = make_agreement(system_b, ministry_a, decide=AgreementAction.APPROVE, decided_by=coordinator_a)
    assert "A-PUB" in codes(system_b)  # positive control
    SharingAgreement.objects.filter(pk=agreement.pk).update(expires_on=timezone.localdate() - datetime.timedelta(1))
    assert codes(system_b) == {"B-PUB"}
    SharingAgreement.objects.filter(pk=agreement.pk).update(expires_on=timezone.localdate())
    assert "A-PUB" in codes(system_b)  # still in force on its last day


def test_a_revoked_agreement_grants_nothing(client_for, projects, system_b, coordinator_a, ministry_a):
    agreement = make_agreement(system_b, ministry_a, decide=AgreementAction.APPROVE, decided_by=coordinator_a)
    assert "A-PUB" in codes(system_b)  # positive control
    client_for(coordinator_a).post(f"/en/exchange/agreements/{agreement.pk}/decide/", {"action": "revoke"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REVOKED
    assert codes(system_b) == {"B-PUB"}


def test_the_agreements_list_shows_what_waits_for_me_and_what_my_systems_asked(
    client_for, system_b, coordinator_a, coordinator_b, viewer_a, ministry_a
):
    make_agreement(system_b, ministry_a)
    owner_side = client_for(coordinator_a).get("/en/exchange/agreements/").context
    assert [a.client for a in owner_side["waiting"]] == [system_b] and owner_side["ours"] == []
    requester_side = client_for(coordinator_b).get("/en/exchange/agreements/").context
    assert requester_side["waiting"] == [] and [a.client for a in requester_side["ours"]] == [system_b]
    reader = client_for(viewer_a).get("/en/exchange/agreements/").context
    assert reader["waiting"] == [] and reader["ours"] == []


def test_a_notification_about_an_agreement_its_reader_may_not_see_names_nothing(
    system_b, viewer_a, coordinator_a, ministry_a
):
    agreement = make_agreement(system_b, ministry_a)
    stray = Notification.objects.create(
        user=viewer_a, kind=Notification.Kind.AGREEMENT_APPROVED, params={"agreement_id": agreement.pk}
    )
    with translation.override("en"):
        text = notification_text(stray)
        assert "System MIN-B" not in text and "(withheld)" in text
        shown = Notification.objects.get(user=coordinator_a, kind=Notification.Kind.AGREEMENT_REQUESTED)
        assert "System MIN-B" in notification_text(shown)  # positive control


def test_a_request_must_expire_after_today(client_for, system_b, coordinator_b, ministry_a):
    response = client_for(coordinator_b).post(
        f"/en/exchange/clients/{system_b.pk}/agreements/new/",
        request_form(ministry_a, expires_on=timezone.localdate().isoformat()),
    )
    assert response.status_code == 400 and not SharingAgreement.objects.exists()
