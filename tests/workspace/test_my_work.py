"""My work: each role sees its own sections with the right counts, and nothing is written by reading it."""

import re

import pytest
from django.apps import apps

from masar.decisions.models import DecisionStatus
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.selectors import missing_updates
from masar.workspace.selectors import ReviewKind, my_work
from tests.html import without_isolates


def count(body, name):
    """Return the number a figure of the page shows, and where it links."""
    shown = without_isolates(body)
    found = re.search(
        rf'<a class="figure" href="([^"]*)" data-count="{name}"><span class="value">([^<]*)</span>', shown
    )
    assert found, f"no figure {name}"
    return int(found.group(2)), found.group(1)


def page(client_for, user):
    response = client_for(user).get("/en/my-work/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_project_manager_sees_their_projects_reports_due_and_returned_updates(
    month, client_for, manager_a, viewer_a, manager_b
):
    body = page(client_for, manager_a)
    assert count(body, "projects") == (2, "#projects")
    assert count(body, "reports_due") == (1, "#reports-due")
    assert count(body, "returned") == (1, "#returned")
    assert "P-A1" in body and "P-A2" in body and "P-B1" not in body
    work = my_work(manager_a)
    assert [p.code for p in work.reports_due] == ["P-A2"]
    assert [u.pk for u in work.returned] == [month.updates["returned"].pk]
    assert {p.code: p.last_period for p in work.projects} == {"P-A1": month.due, "P-A2": month.due}
    # One who reads only has nothing to do; a manager of another ministry sees only their own.
    viewer = page(client_for, viewer_a)
    assert 'data-count="projects"' not in viewer and 'id="nothing-to-do"' in viewer
    other = page(client_for, manager_b)
    assert count(other, "projects") == (1, "#projects")
    assert count(other, "reports_due") == (1, "#reports-due")
    assert count(other, "returned") == (0, "#returned")
    assert "P-A1" not in other


def test_the_coordinator_sees_updates_and_values_to_review_together_with_the_previous_period(
    month, client_for, coordinator_a, viewer_a, coordinator_b
):
    body = page(client_for, coordinator_a)
    assert count(body, "reviews") == (3, "#reviews")
    items = {item.key: item for item in my_work(coordinator_a).reviews}
    update_key = f"{ReviewKind.UPDATE}-{month.updates['submitted'].pk}"
    assert set(items) == {
        update_key,
        f"{ReviewKind.VALUE}-{month.values['2024'].pk}",
        f"{ReviewKind.VALUE}-{month.values['2025'].pk}",
    }  # not the value the coordinator submitted
    assert items[update_key].previous == 20 and items[update_key].previous_period == month.earlier
    assert items[f"{ReviewKind.VALUE}-{month.values['2024'].pk}"].previous == 120
    assert f'value="{update_key}"' in body
    assert 'data-count="projects"' not in body  # a coordinator sends no reports
    assert 'data-count="reviews"' not in page(client_for, viewer_a)
    other = page(client_for, coordinator_b)
    assert count(other, "reviews") == (0, "#reviews")


def test_the_national_unit_sees_escalations_rebaselines_late_ministries_and_overdue_decisions(
    month, client_for, national, coordinator_a, coordinator_b
):
    body = page(client_for, national)
    assert count(body, "escalations") == (1, "#escalations")
    assert count(body, "rebaselines") == (1, "#rebaselines")
    late, late_link = count(body, "late_total")
    projects, _period = missing_updates(national)
    assert late == projects.count() == 2 and late_link == "/en/delivery/due/"
    overdue, overdue_link = count(body, "overdue_decisions")
    assert overdue == decision_list(national, DecisionFilters(status=DecisionStatus.OVERDUE)).count() == 1
    listed = client_for(national).get(overdue_link.replace("&amp;", "&"))
    assert listed.status_code == 200 and len(listed.context["page"].object_list) == overdue
    assert my_work(national).closures == []  # the slot the decision closures will fill
    for user in (coordinator_a, coordinator_b):
        other = page(client_for, user)
        assert 'data-count="escalations"' not in other and 'data-count="rebaselines"' not in other


def test_a_viewer_is_shown_what_to_read_and_nothing_to_do(month, client_for, viewer_a):
    body = page(client_for, viewer_a)
    assert 'id="nothing-to-do"' in body
    assert "/en/dashboards/" in body and "/en/projects/" in body
    assert '<input type="checkbox"' not in body


def test_my_work_asks_to_sign_in(db, client_for):
    response = client_for(None).get("/en/my-work/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_signing_in_lands_on_my_work(db, client, manager_a):
    response = client.post("/en/accounts/login/", {"username": "manager_a", "password": "pw-manager_a"})
    assert response.status_code == 302 and response["Location"].endswith("/my-work/")


@pytest.mark.parametrize("who", ["national", "coordinator_a", "manager_a", "viewer_a"])
def test_reading_my_work_changes_nothing(month, client_for, request, who):
    client = client_for(request.getfixturevalue(who))  # signing in writes its session: before the count
    # The session's own end moves forward with use (sessions expire after inactivity): bookkeeping, not data.
    models = [model for model in apps.get_models() if model._meta.label != "sessions.Session"]
    before = {model._meta.label: list(model._default_manager.values()) for model in models}
    assert before["delivery.ProgressUpdate"]  # positive control: there is something to change
    assert client.get("/en/my-work/").status_code == 200
    after = {model._meta.label: list(model._default_manager.values()) for model in models}
    assert after == before
