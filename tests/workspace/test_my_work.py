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


def test_the_review_queue_is_read_by_pages_with_the_count_of_the_whole_queue(
    month, client_for, coordinator_a, national, monkeypatch
):
    monkeypatch.setattr("masar.workspace.selectors.REVIEW_PAGE_SIZE", 2)
    client = client_for(coordinator_a)
    first = client.get("/en/my-work/")
    second = client.get("/en/my-work/?page=2")
    assert first.status_code == second.status_code == 200
    assert count(first.content.decode(), "reviews") == (3, "#reviews")  # the whole queue, not the page
    pages = [list(response.context["work"].reviews) for response in (first, second)]
    assert [len(items) for items in pages] == [2, 1]
    keys = [item.key for items in pages for item in items]
    assert set(keys) == {item.key for item in my_work(coordinator_a, review_page_number=1).reviews} | {
        item.key for item in my_work(coordinator_a, review_page_number=2).reviews
    }
    assert len(set(keys)) == 3 and {key.split("-")[0] for key in keys} == set(ReviewKind.values)
    stamps = [item.submitted_at for items in pages for item in items]
    assert stamps == sorted(stamps)  # oldest first across both kinds and both pages
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert client.get("/en/my-work/?page=3").status_code == 404


def test_the_review_queue_agrees_with_the_policy_for_every_reader(
    month, national, coordinator_a, coordinator_b, manager_a, viewer_a
):
    from masar.core import policy
    from masar.delivery.models import ProgressUpdate, UpdateStatus
    from masar.workspace.selectors import updates_to_review

    submitted = ProgressUpdate.objects.filter(status=UpdateStatus.SUBMITTED).select_related("project__owner")
    assert submitted  # positive control
    for who in (national, coordinator_a, coordinator_b, manager_a, viewer_a):
        expected = {
            update.pk
            for update in submitted
            if policy.may_review_submissions(who)
            and policy.may_review(who, update.project)
            and update.submitted_by_id != who.pk
        }
        assert set(updates_to_review(who).values_list("pk", flat=True)) == expected, who.username


def test_a_queue_without_pages_shows_its_first_records_and_counts_them_all(month, django_assert_num_queries, national):
    from masar.delivery.models import ProgressUpdate
    from masar.workspace.selectors import first_of

    def updates():
        return ProgressUpdate.objects.order_by("pk")

    every = list(updates())
    assert len(every) >= 3  # positive control
    with django_assert_num_queries(2):  # the first ones, then the count
        shown, total = first_of(updates(), 2)
    assert shown == every[:2] and total == len(every)
    with django_assert_num_queries(1):  # short enough: no count
        shown, total = first_of(updates(), len(every))
    assert shown == every and total == len(every)


def test_the_national_units_figures_are_kept_and_a_decision_shows_at_once(
    month, client_for, national, django_assert_max_num_queries
):
    from masar.delivery.models import Baseline, BaselineStatus
    from masar.delivery.services import baselines as baseline_services

    client = client_for(national)
    assert count(page(client_for, national), "rebaselines") == (1, "#rebaselines")
    with django_assert_max_num_queries(20) as kept:
        client.get("/en/my-work/")
    proposed = Baseline.objects.get(status=BaselineStatus.PROPOSED)
    baseline_services.baseline_decide(baseline=proposed, actor=national, approve=False, note="الميزانية غير مبررة")
    with django_assert_max_num_queries(40) as fresh:
        body = client.get("/en/my-work/").content.decode()
    assert count(body, "rebaselines") == (0, "#rebaselines")  # the decision's audit entry moved the key
    assert len(fresh.captured_queries) > len(kept.captured_queries)  # the kept figures were read, not recomputed
