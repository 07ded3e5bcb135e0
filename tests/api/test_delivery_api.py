"""Progress updates, baselines, ratings and obstacles through the API: who reads, who writes, and how."""

import datetime
from decimal import Decimal

import pytest

from masar.core.models import Classification
from masar.delivery.models import Obstacle, ProgressUpdate, UpdateStatus
from masar.delivery.services.baselines import baseline_original
from masar.delivery.services.updates import update_approve, update_save, update_submit
from masar.exchange.models import ExchangeLogEntry
from tests.api.factories import agree, bearer, ids, if_match, make_system, system_bearer
from tests.portfolio.factories import make_project

JSON = "application/json"
UPDATES = "/api/v1/progress-updates/"


def _save(project, manager, period, percent=10, spend=1000):
    return update_save(
        project=project,
        actor=manager,
        period=period,
        percent_complete=percent,
        spend_to_date=spend,
        declared_confidence="green",
    )


@pytest.fixture
def project(ministry_a, axis, manager_a):
    """A confidential project of ministry A: read in its own line only."""
    return make_project(
        "A-1", ministry_a, axis, manager=manager_a, classification=Classification.CONFIDENTIAL, planned_budget=100000
    )


@pytest.fixture
def approved(project, manager_a, coordinator_a):
    update = update_submit(update=_save(project, manager_a, datetime.date(2025, 1, 1)), actor=manager_a)
    return update_approve(update=update, actor=coordinator_a)


@pytest.fixture
def draft(project, manager_a, approved):
    return _save(project, manager_a, datetime.date(2025, 2, 1), percent=15, spend=2000)


def _body(**extra):
    data = {"period": "2025-03-01", "percent_complete": "20", "spend_to_date": "3000", "declared_confidence": "amber"}
    data.update(extra)
    return data


# Reading ----------------------------------------------------------------------------------------


def test_updates_are_read_as_on_the_pages(approved, draft, manager_a, viewer_a, coordinator_b):
    assert ids(bearer(manager_a).get(UPDATES)) == {approved.pk, draft.pk}
    assert ids(bearer(viewer_a).get(UPDATES)) == {approved.pk}  # a draft is read by those who write it
    assert ids(bearer(coordinator_b).get(UPDATES)) == set()
    assert bearer(coordinator_b).get(f"{UPDATES}{approved.pk}/").status_code == 404
    answer = bearer(viewer_a).get(f"{UPDATES}{approved.pk}/")
    assert answer.status_code == 200
    assert answer.json()["project"]["code"] == "A-1"
    assert answer.json()["status"] == UpdateStatus.APPROVED


def test_update_lists_filter_by_status_and_period(approved, draft, manager_a):
    caller = bearer(manager_a)
    assert ids(caller.get(UPDATES, {"status": "draft"})) == {draft.pk}
    assert ids(caller.get(UPDATES, {"period_from": "2025-02-01"})) == {draft.pk}
    assert ids(caller.get(UPDATES, {"period_to": "2025-01-31"})) == {approved.pk}
    assert ids(caller.get(UPDATES, {"project": approved.project_id})) == {approved.pk, draft.pk}


def test_a_system_without_the_scope_is_refused(approved, ministry_a):
    system = make_system(ministry_a, ["projects:read"])
    assert system_bearer(system).get(UPDATES).status_code == 403


def test_a_system_of_another_ministry_reads_only_what_an_agreement_gives(approved, draft, ministry_a, ministry_b):
    system = make_system(ministry_b, ["progress_updates:read"])
    caller = system_bearer(system)
    assert caller.get(UPDATES, {"organization": ministry_a.pk}).status_code == 403
    assert ids(caller.get(UPDATES)) == set()
    agreement = agree(system, ministry_a, "progress_updates")
    caller = system_bearer(system)
    assert ids(caller.get(UPDATES, {"organization": ministry_a.pk})) == {approved.pk}  # the draft stays inside
    entry = ExchangeLogEntry.objects.order_by("-pk").first()
    assert entry.agreements == [agreement.pk]
    assert entry.records == 1


def test_an_update_list_costs_the_same_queries_at_any_page_size(project, manager_a, django_assert_max_num_queries):
    for month in range(1, 7):
        _save(project, manager_a, datetime.date(2024, month, 1), percent=month, spend=month * 100)
    caller = bearer(manager_a)
    for limit in (2, 6):
        with django_assert_max_num_queries(14):
            assert len(ids(caller.get(UPDATES, {"limit": limit}))) == limit


# Writing ----------------------------------------------------------------------------------------


def _submit(caller, update_id, version):
    return caller.post(f"{UPDATES}{update_id}/submit/", HTTP_IF_MATCH=f'"{version}"')


def test_a_project_manager_drafts_then_submits(project, approved, manager_a):
    caller = bearer(manager_a)
    answer = caller.post(f"/api/v1/projects/{project.pk}/progress-updates/", _body(), content_type=JSON)
    assert answer.status_code == 201, answer.content
    created = ProgressUpdate.objects.get(pk=answer.json()["id"])
    assert created.status == UpdateStatus.DRAFT and created.percent_complete == Decimal(20)
    answer = _submit(caller, created.pk, created.version)
    assert answer.status_code == 200, answer.content
    created.refresh_from_db()
    assert created.status == UpdateStatus.SUBMITTED and created.submitted_by == manager_a


def test_a_system_of_the_owner_ministry_drafts_then_submits(project, approved, ministry_a):
    system = make_system(ministry_a, ["progress_updates:write", "progress_updates:read"])
    caller = system_bearer(system)
    answer = caller.post(f"/api/v1/projects/{project.pk}/progress-updates/", _body(), content_type=JSON)
    assert answer.status_code == 201, answer.content
    created = ProgressUpdate.objects.get(pk=answer.json()["id"])
    assert created.created_by == system.account
    assert _submit(caller, created.pk, created.version).status_code == 200
    created.refresh_from_db()
    assert created.status == UpdateStatus.SUBMITTED and created.submitted_by == system.account


def test_those_who_may_not_write_are_refused_and_nothing_is_saved(project, approved, viewer_a, coordinator_b):
    before = ProgressUpdate.objects.count()
    url = f"/api/v1/projects/{project.pk}/progress-updates/"
    assert bearer(viewer_a).post(url, _body(), content_type=JSON).status_code == 403
    assert bearer(coordinator_b).post(url, _body(), content_type=JSON).status_code == 404
    system = make_system(project.owner, ["progress_updates:read"])
    assert system_bearer(system).post(url, _body(), content_type=JSON).status_code == 403
    assert ProgressUpdate.objects.count() == before


def test_unusual_figures_are_listed_in_the_callers_language_and_saved_once_confirmed(project, approved, manager_a):
    caller = bearer(manager_a)
    url = f"/api/v1/projects/{project.pk}/progress-updates/"
    body = _body(percent_complete="95")  # from 10 % to 95 % in two months
    answer = caller.post(url, body, content_type=JSON, HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:masar:problem:unusual-figures"
    assert [w["code"] for w in problem["warnings"]] == ["percent_jump"]
    assert "95" in problem["errors"][0]["detail"]
    assert not problem["errors"][0]["detail"].startswith("Percent complete")  # worded in French, not English
    assert problem["errors"][0]["pointer"] == "body.figures_confirmed"
    assert not ProgressUpdate.objects.filter(project=project, period=datetime.date(2025, 3, 1)).exists()
    answer = caller.post(url, {**body, "figures_confirmed": True}, content_type=JSON)
    assert answer.status_code == 201
    saved = ProgressUpdate.objects.get(pk=answer.json()["id"])
    assert [w["code"] for w in saved.confirmed_warnings] == ["percent_jump"]


def test_a_change_needs_the_version_read(draft, manager_a):
    caller = bearer(manager_a)
    url = f"{UPDATES}{draft.pk}/"
    assert caller.patch(url, {"narrative": "x"}, content_type=JSON).status_code == 428
    stale = {"HTTP_IF_MATCH": f'"{draft.version - 1 or 99}"'}
    answer = caller.patch(url, {"narrative": "x"}, content_type=JSON, **stale)
    assert answer.status_code == 412
    assert _submit(caller, draft.pk, draft.version + 1).status_code == 412
    draft.refresh_from_db()
    assert draft.narrative == "" and draft.status == UpdateStatus.DRAFT
    answer = caller.patch(url, {"narrative": "تقدم"}, content_type=JSON, **if_match(draft))
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.narrative == "تقدم" and draft.percent_complete == Decimal(15)


def test_an_unknown_field_is_refused(project, approved, manager_a):
    answer = bearer(manager_a).post(
        f"/api/v1/projects/{project.pk}/progress-updates/", _body(colour="red"), content_type=JSON
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["pointer"] == "body.colour"
    assert not ProgressUpdate.objects.filter(period=datetime.date(2025, 3, 1)).exists()


def test_every_call_is_in_the_exchange_log(draft, manager_a):
    caller = bearer(manager_a)
    before = ExchangeLogEntry.objects.count()
    caller.get(UPDATES)
    caller.get(f"{UPDATES}{draft.pk}/")
    caller.patch(f"{UPDATES}{draft.pk}/", {"narrative": "x"}, content_type=JSON)  # refused: no If-Match
    assert ExchangeLogEntry.objects.count() == before + 3
    assert list(ExchangeLogEntry.objects.order_by("-pk").values_list("status", flat=True)[:3]) == [428, 200, 200]


# Baselines and ratings --------------------------------------------------------------------------


def test_baselines_and_ratings_are_read_in_the_projects_line(approved, manager_a, viewer_a, coordinator_b):
    project = approved.project
    original = baseline_original(project)
    assert ids(bearer(viewer_a).get("/api/v1/baselines/")) == {original.pk}
    assert ids(bearer(coordinator_b).get("/api/v1/baselines/")) == set()
    assert bearer(coordinator_b).get(f"/api/v1/baselines/{original.pk}/").status_code == 404
    ratings = bearer(viewer_a).get(f"/api/v1/projects/{project.pk}/ratings/")
    assert ratings.status_code == 200 and ratings.json()["count"] == project.rating_history.count() > 0
    assert bearer(coordinator_b).get(f"/api/v1/projects/{project.pk}/ratings/").status_code == 404


# Obstacles --------------------------------------------------------------------------------------


def _obstacle(**extra):
    data = {"category": "funding", "severity": "high", "description": "الاعتمادات لم تصرف", "must_act": None}
    data.update(extra)
    return data


def test_obstacles_are_reported_read_and_changed_by_those_who_may(project, manager_a, viewer_a, coordinator_b):
    url = f"/api/v1/projects/{project.pk}/obstacles/"
    answer = bearer(manager_a).post(url, _obstacle(must_act=project.owner_id), content_type=JSON)
    assert answer.status_code == 201, answer.content
    obstacle = Obstacle.objects.get(pk=answer.json()["id"])
    assert obstacle.classification == Classification.CONFIDENTIAL  # never below its project
    assert bearer(viewer_a).post(url, _obstacle(must_act=project.owner_id), content_type=JSON).status_code == 403
    assert ids(bearer(viewer_a).get("/api/v1/obstacles/", {"severity": "high"})) == {obstacle.pk}
    assert ids(bearer(viewer_a).get("/api/v1/obstacles/", {"severity": "low"})) == set()
    assert ids(bearer(coordinator_b).get("/api/v1/obstacles/")) == set()
    change = f"/api/v1/obstacles/{obstacle.pk}/"
    assert (
        bearer(viewer_a).patch(change, {"status": "resolved"}, content_type=JSON, **if_match(obstacle)).status_code
        == 403
    )
    assert bearer(manager_a).patch(change, {"status": "resolved"}, content_type=JSON).status_code == 428
    stale = {"HTTP_IF_MATCH": f'"{obstacle.version + 1}"'}
    assert bearer(manager_a).patch(change, {"status": "resolved"}, content_type=JSON, **stale).status_code == 412
    obstacle.refresh_from_db()
    assert obstacle.status == "open"
    answer = bearer(manager_a).patch(change, {"status": "resolved"}, content_type=JSON, **if_match(obstacle))
    assert answer.status_code == 200, answer.content
    obstacle.refresh_from_db()
    assert obstacle.status == "resolved"
    assert Obstacle.objects.count() == 1


def test_a_system_reads_obstacles_of_another_ministry_only_under_an_agreement(
    project, manager_a, ministry_a, ministry_b
):
    bearer(manager_a).post(
        f"/api/v1/projects/{project.pk}/obstacles/", _obstacle(must_act=ministry_a.pk), content_type=JSON
    )
    obstacle = Obstacle.objects.get()
    system = make_system(ministry_b, ["obstacles:read"])
    assert system_bearer(system).get("/api/v1/obstacles/", {"organization": ministry_a.pk}).status_code == 403
    agree(system, ministry_a, "obstacles")
    assert ids(system_bearer(system).get("/api/v1/obstacles/", {"organization": ministry_a.pk})) == {obstacle.pk}
    own = make_system(ministry_a, ["obstacles:write", "obstacles:read"])
    answer = system_bearer(own).post(
        f"/api/v1/projects/{project.pk}/obstacles/", _obstacle(must_act=ministry_a.pk), content_type=JSON
    )
    assert answer.status_code == 201, answer.content
    assert Obstacle.objects.count() == 2
