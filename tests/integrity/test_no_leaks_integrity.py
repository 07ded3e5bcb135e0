"""The leak crawl over the integrity doors: alerts reach the inspectorate and the national unit only.

A small trail with planted red flags is run through the real detection; then every page reachable by
links is read as each kind of reader, plus the alert, tender, contract and supplier pages by address,
the API and the open-data outputs. Nobody but the inspectorate and the national unit meets an alert,
its evidence or its triage reason; the public meets no restricted procurement record.
"""

import datetime

import pytest

from masar.core.models import Classification
from masar.integrity.detection import detection_run
from masar.integrity.models import Alert, AlertAction, TaxStatus
from masar.integrity.services import alert_triage
from tests.api.factories import bearer
from tests.html import crawl, read_body
from tests.integrity.factories import (
    make_bid,
    make_inspector,
    make_payment,
    make_supplier,
    make_tender,
    make_trail,
)
from tests.portfolio.factories import make_project

REASON = "سبب-الفرز-TRIAGEMARK"


@pytest.fixture
def flagged_world(ministry_a, ministry_b, axis, manager_a, gov):
    project = make_project("P-PROC-PUBL", ministry_a, axis, manager=manager_a, name_ar="مشروع-صفقات-PUBL")
    ring = make_supplier(
        "SUP-RING-RSTR", owner=ministry_a, name_ar="شركة-حلقة-RSTR", tax_status=TaxStatus.NON_COMPLIANT
    )
    single = make_tender(ocid="ocds-single-RSTR", buyer=ministry_a, project=project)
    make_bid(single, ring, 500_000)  # one bid in an open tender: R018
    _tender, contract = make_trail(ministry_a, project=project, winner=ring, ocid="ocds-trail-RSTR")
    make_payment(
        contract, 10_000, date=datetime.date(2025, 4, 1)
    )  # before signature (PAYDATE), to a non-compliant firm
    public_tender = make_tender(ocid="ocds-open-PUBL", buyer=ministry_b, classification=Classification.PUBLIC)
    make_bid(public_tender, make_supplier("SUP-PUBL", owner=ministry_b), 1000)
    detection_run()
    inspector = make_inspector(gov)
    alert = Alert.objects.filter(rule="R018").first()
    assert alert is not None and Alert.objects.filter(rule="PAYDATE").exists()  # positive control: the rules fired
    alert = alert_triage(actor=inspector, alert=alert, action=AlertAction.REVIEW, version=alert.version)
    alert_triage(actor=inspector, alert=alert, action=AlertAction.DISMISS, reason=REASON, version=alert.version)
    return project, inspector


def _direct_pages(client):
    """Return the integrity pages read by address (a reader who gets no link may still type one)."""
    from masar.integrity.models import Contract, Supplier, Tender

    urls = ["/ar/integrity/alerts/", "/ar/integrity/tenders/", "/ar/integrity/suppliers/", "/ar/integrity/rules/"]
    urls += [f"/ar/integrity/alerts/{pk}/" for pk in Alert.objects.values_list("pk", flat=True)]
    urls += [f"/ar/integrity/tenders/{pk}/" for pk in Tender.objects.values_list("pk", flat=True)]
    urls += [f"/ar/integrity/contracts/{pk}/" for pk in Contract.objects.values_list("pk", flat=True)]
    urls += [f"/ar/integrity/suppliers/{pk}/" for pk in Supplier.objects.values_list("pk", flat=True)]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            pages[url] = response.content.decode()
    return pages


def _alert_signs():
    """Return what only an alert's reader meets: the triage reason and each alert's own address."""
    return [REASON, *(f"/integrity/alerts/{pk}/" for pk in Alert.objects.values_list("pk", flat=True))]


@pytest.mark.parametrize("who", ["manager_a", "coordinator_a", "viewer_a", "coordinator_b"])
def test_no_one_but_the_inspectorate_meets_an_alert_on_any_page(flagged_world, who, request, client_for):
    project, _inspector = flagged_world
    client = client_for(request.getfixturevalue(who))
    # From the home page (navigation) and from the project's page, through every integrity page reached.
    pages = crawl(client, limit=60) | crawl(client, start=f"/ar/projects/{project.pk}/", within="/ar/integrity/")
    pages |= _direct_pages(client)
    assert any("مشروع-صفقات-PUBL" in body for body in pages.values())  # positive control: the project page was read
    assert any("/integrity/tenders/" in url for url in pages)  # ... and a procurement page
    for url, body in pages.items():
        for sign in _alert_signs():
            assert sign not in body, f"{sign} leaked to {who} on {url}"


def test_the_public_meets_no_alert_and_no_restricted_procurement(flagged_world, client_for, client):
    anonymous = client_for(None)
    pages = crawl(anonymous, limit=60) | _direct_pages(anonymous)
    assert len(pages) > 5
    for url, body in pages.items():
        assert "RSTR" not in body, f"restricted procurement leaked on {url}"
        for sign in _alert_signs():
            assert sign not in body, f"{sign} leaked on {url}"
    released = read_body(client.get("/ocds/releases.json"))
    assert "ocds-open-PUBL" in released  # positive control: the public tender is open data
    assert "RSTR" not in released and REASON not in released and "R018" not in released
    for door in ("/api/3/action/package_search", "/catalog.ttl", "/iati/activities.xml"):
        response = client.get(door)
        body = read_body(response) if response.status_code == 200 else ""
        assert REASON not in body and "RSTR" not in body, door


def test_the_inspector_meets_the_alerts_and_their_triage(flagged_world, client_for):
    _project, inspector = flagged_world
    pages = crawl(client_for(inspector), start="/ar/integrity/alerts/", within="/ar/integrity/")
    assert any(REASON in body for body in pages.values())
    assert any("/integrity/alerts/" in url and url.rstrip("/").split("/")[-1].isdigit() for url in pages)


def test_the_api_gives_no_alert_to_anyone(flagged_world, national, coordinator_a):
    for person in (national, coordinator_a):
        body = bearer(person).get("/api/v1/procurement/releases/").content.decode()
        assert "ocds-trail-RSTR" in body  # positive control
        assert REASON not in body and "PAYDATE" not in body and "R018" not in body
