"""The exchange map (who receives what from whom, with traffic) and "who read our data", per reader."""

import datetime

import pytest
from django.utils import timezone

from masar.accounts.models import Role
from masar.exchange.models import AgreementAction, ExchangeLogEntry, RecordType, SharingAgreement
from masar.exchange.selectors import exchange_flows
from masar.exchange.services import token_issue
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.accounts.factories import make_user
from tests.exchange.factories import log_call, make_agreement, make_client


@pytest.fixture
def ministry_c(gov):
    return organization_create(actor=None, parent=gov, kind=OrganizationKind.MINISTRY, code="MIN-C", name_ar="وزارة ج")


@pytest.fixture
def world(ministry_a, directorate_a, ministry_b, ministry_c, coordinator_a, coordinator_b, national):
    system_b = make_client(ministry_b, name_ar="منظومة-ب")
    system_c = make_client(ministry_c, name_ar="منظومة-ج")
    a_to_b = make_agreement(system_b, ministry_a, decide=AgreementAction.APPROVE, decided_by=coordinator_a)
    b_to_c = make_agreement(
        system_c, ministry_b, record_type=RecordType.MEASUREMENTS, decide=AgreementAction.APPROVE, decided_by=national
    )
    make_agreement(system_c, ministry_a)  # requested only: no flow yet
    token_b = token_issue(user=system_b.account, client=system_b, name="prod", actor=None).token
    token_c = token_issue(user=system_c.account, client=system_c, name="prod", actor=None).token
    old = log_call(token_b, path="/api/v1/projects/?old", owners=[ministry_a], agreements=[a_to_b], records=100)
    ExchangeLogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    log_call(token_b, path="/api/v1/projects/?from-a", owners=[ministry_a], agreements=[a_to_b], records=5)
    last = log_call(token_b, path="/api/v1/projects/?from-d1", owners=[directorate_a], agreements=[a_to_b], records=7)
    log_call(token_c, path="/api/v1/measurements/?from-b", owners=[ministry_b], agreements=[b_to_c], records=3)
    log_call(token_b, path="/api/v1/projects/?own-b", owners=[ministry_b], records=2)  # its own data, no agreement
    return {"a_to_b": a_to_b, "b_to_c": b_to_c, "last": last}


def flows(who):
    return {(f.agreement.client.name_ar, f.agreement.owner.code): f for f in exchange_flows(who)}


def test_the_national_unit_sees_every_flow_with_its_traffic(world, national):
    seen = flows(national)
    assert set(seen) == {("منظومة-ب", "MIN-A"), ("منظومة-ج", "MIN-B")}
    a_to_b = seen[("منظومة-ب", "MIN-A")]
    assert (a_to_b.traffic.requests, a_to_b.traffic.records) == (2, 12)  # the call of 40 days ago is out
    assert a_to_b.traffic.last_call == world["last"].created_at and a_to_b.in_force
    b_to_c = seen[("منظومة-ج", "MIN-B")]
    assert (b_to_c.traffic.requests, b_to_c.traffic.records) == (1, 3)


def test_the_last_call_is_found_before_the_window(world, national):
    ExchangeLogEntry.objects.filter(created_at__gt=timezone.now() - datetime.timedelta(days=30)).delete()
    SharingAgreement.objects.filter(pk=world["a_to_b"].pk).update(decided_at=timezone.now() - datetime.timedelta(60))
    a_to_b = flows(national)[("منظومة-ب", "MIN-A")]
    assert (a_to_b.traffic.requests, a_to_b.traffic.records) == (0, 0)
    assert a_to_b.traffic.last_call is not None and a_to_b.traffic.last_call < timezone.now() - datetime.timedelta(39)


def test_each_reader_sees_the_flows_of_their_organization_or_subtree(
    world, coordinator_a, coordinator_b, viewer_a, manager_b, ministry_c
):
    assert set(flows(coordinator_a)) == {("منظومة-ب", "MIN-A")}
    assert set(flows(coordinator_b)) == {("منظومة-ب", "MIN-A"), ("منظومة-ج", "MIN-B")}
    assert set(flows(manager_b)) == {("منظومة-ب", "MIN-A"), ("منظومة-ج", "MIN-B")}
    assert set(flows(viewer_a)) == {("منظومة-ب", "MIN-A")}
    assert flows(make_user("viewer_c", Role.VIEWER, ministry_c)).keys() == {("منظومة-ج", "MIN-B")}
    assert flows(None) == {}


def test_the_map_page_links_an_agreement_only_for_those_who_may_open_it(world, client_for, coordinator_a, viewer_a):
    link = f'href="/ar/exchange/agreements/{world["a_to_b"].pk}/"'
    coordinator_page = client_for(coordinator_a).get("/ar/exchange/").content.decode()
    assert "منظومة-ب" in coordinator_page and link in coordinator_page
    viewer_page = client_for(viewer_a).get("/ar/exchange/").content.decode()
    assert "منظومة-ب" in viewer_page and link not in viewer_page
    assert "منظومة-ج" not in viewer_page


def test_the_map_is_in_the_navigation_of_civil_servants_only(client_for, viewer_a):
    assert 'href="/en/exchange/"' in client_for(viewer_a).get("/en/").content.decode()
    assert 'href="/en/exchange/"' not in client_for(None).get("/en/").content.decode()
    assert client_for(None).get("/en/exchange/").status_code == 302


def paths_seen(browser):
    response = browser.get("/en/exchange/readers/")
    assert response.status_code == 200
    return {entry.path for entry in response.context["page"]}


def test_who_read_our_data_shows_only_the_readers_subtree(world, client_for, coordinator_a, coordinator_b, national):
    assert paths_seen(client_for(coordinator_a)) == {
        "/api/v1/projects/?old",
        "/api/v1/projects/?from-a",
        "/api/v1/projects/?from-d1",
    }
    assert paths_seen(client_for(coordinator_b)) == {"/api/v1/measurements/?from-b", "/api/v1/projects/?own-b"}
    assert len(paths_seen(client_for(national))) == 5
    newest_first = client_for(coordinator_a).get("/en/exchange/readers/").context["page"]
    assert newest_first[0].path == "/api/v1/projects/?from-d1"


def test_who_read_our_data_is_for_coordinators_and_the_national_unit(world, client_for, viewer_a, manager_b):
    assert client_for(viewer_a).get("/en/exchange/readers/").status_code == 403
    assert client_for(manager_b).get("/en/exchange/readers/").status_code == 403
    assert 'href="/en/exchange/readers/"' not in client_for(viewer_a).get("/en/exchange/").content.decode()
