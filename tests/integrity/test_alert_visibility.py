"""Who sees integrity alerts: the inspectorate and the national unit, nobody else, and nowhere else.

A project's manager, the buyer ministry's coordinator, a viewer, another ministry, the public and another
administration's system see no alert and no sign of one: not the queue, not an alert's page, not the
block on the project's page, not the supplier's history, not the people behind a supplier.
"""

import pytest

from masar.core.policy import Reader
from masar.integrity.selectors import alert_list, project_alert_summary, supplier_alert_history
from tests.api.factories import make_system, system_bearer
from tests.integrity.factories import make_alert, make_inspector, make_supplier, make_trail
from tests.portfolio.factories import make_project

MARKERS = ('id="integrity-title"', 'id="history-title"', 'id="alerts-title"', 'id="people-title"', "/integrity/alerts/")


@pytest.fixture
def scene(ministry_a, axis, manager_a):
    project = make_project("PRJ-V", ministry_a, axis, manager=manager_a)
    winner = make_supplier(
        "SUP-V", owner=ministry_a, directors=[{"name": "مدير الشركة"}], beneficial_owners=[{"name": "المالك الحقيقي"}]
    )
    tender, contract = make_trail(ministry_a, project=project, winner=winner)
    alert = make_alert(tender, contract=contract, supplier=winner)
    return project, tender, contract, winner, alert


def pages(scene):
    project, tender, contract, winner, alert = scene
    return {
        "project": f"/en/projects/{project.pk}/",
        "tender": f"/en/integrity/tenders/{tender.pk}/",
        "contract": f"/en/integrity/contracts/{contract.pk}/",
        "supplier": f"/en/integrity/suppliers/{winner.pk}/",
    }


@pytest.fixture
def inspector(gov):
    return make_inspector(gov)


@pytest.mark.parametrize("who", ["inspector", "national"])
def test_the_inspectorate_and_the_national_unit_see_alerts_everywhere(scene, who, request, client_for):
    *_rest, winner, alert = scene
    client = client_for(request.getfixturevalue(who))
    assert client.get("/en/integrity/alerts/").status_code == 200
    assert client.get(f"/en/integrity/alerts/{alert.pk}/").status_code == 200
    bodies = {name: client.get(url).content.decode() for name, url in pages(scene).items()}
    assert 'id="integrity-title"' in bodies["project"]
    assert 'id="alerts-title"' in bodies["tender"] and 'id="alerts-title"' in bodies["contract"]
    assert 'id="history-title"' in bodies["supplier"] and "المالك الحقيقي" in bodies["supplier"]
    assert 'href="/en/integrity/alerts/"' in bodies["project"]  # the navigation's entry


@pytest.mark.parametrize("who", ["manager_a", "coordinator_a", "viewer_a", "coordinator_b"])
def test_the_records_owners_and_other_ministries_see_no_alert(scene, who, request, client_for):
    *_rest, alert = scene
    client = client_for(request.getfixturevalue(who))
    assert client.get("/en/integrity/alerts/").status_code == 403
    assert client.get(f"/en/integrity/alerts/{alert.pk}/").status_code == 404
    assert (
        client.post(f"/en/integrity/alerts/{alert.pk}/triage/", {"action": "review", "version": 1}).status_code == 404
    )
    for name, url in pages(scene).items():
        response = client.get(url)
        assert response.status_code == 200, name  # positive control: they read the records themselves
        body = response.content.decode()
        for marker in MARKERS:
            assert marker not in body, (name, marker)
        assert "المالك الحقيقي" not in body and "مدير الشركة" not in body
    assert alert.rule not in client.get(pages(scene)["tender"]).content.decode()


def test_the_public_sees_no_alert_and_is_sent_to_sign_in(scene, client_for):
    *_rest, alert = scene
    client = client_for(None)
    for url in ("/en/integrity/alerts/", f"/en/integrity/alerts/{alert.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.get(pages(scene)["tender"]).status_code == 404  # a restricted tender
    assert client.get(pages(scene)["supplier"]).status_code == 404


def test_an_api_clients_account_sees_no_alert(scene, ministry_a, client_for):
    project, _tender, _contract, winner, alert = scene
    system = make_system(ministry_a, ["projects:read"])
    reader = Reader.client(system)
    assert alert_list(reader).count() == 0
    assert project_alert_summary(reader, project) is None
    assert supplier_alert_history(reader, winner) is None
    client = client_for(system.account)
    assert client.get("/en/integrity/alerts/").status_code in (302, 403)
    assert client.get(f"/en/integrity/alerts/{alert.pk}/").status_code in (302, 404)
    answer = system_bearer(system).get(f"/api/v1/projects/{project.pk}/")
    assert answer.status_code == 200  # positive control: it reads the project
    assert "alert" not in answer.content.decode().lower()


def test_the_selectors_give_alerts_to_those_who_may_only(scene, inspector, manager_a, coordinator_a, viewer_a):
    project, _tender, _contract, winner, alert = scene
    assert list(alert_list(inspector)) == [alert]  # positive control
    assert project_alert_summary(inspector, project)["total"] == 1
    for user in (manager_a, coordinator_a, viewer_a, None):
        assert not alert_list(Reader.of(user)).exists()
        assert project_alert_summary(Reader.of(user), project) is None
        assert supplier_alert_history(Reader.of(user), winner) is None
