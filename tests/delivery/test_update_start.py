"""Where a new monthly update starts: the earliest due month not reported, with last month's figures."""

import datetime
from decimal import Decimal

import pytest

from masar.delivery.models import Confidence
from masar.delivery.selectors import UpdateStart, update_start
from masar.delivery.services import updates as update_services
from tests.portfolio.factories import make_project

D = datetime.date
TODAY = D(2026, 5, 20)


@pytest.fixture
def project(ministry_a, axis, manager_a):
    return make_project(
        "S-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=D(2026, 2, 10),
        planned_end=D(2026, 12, 31),
        planned_budget=Decimal("1000"),
    )


def report(project, manager, coordinator, period, *, approve=True, percent="20", spend="100"):
    update = update_services.update_save(
        project=project,
        actor=manager,
        period=period,
        percent_complete=Decimal(percent),
        spend_to_date=Decimal(spend),
        declared_confidence=Confidence.AMBER,
        narrative="كان الشهر صعبا",
        milestone_dates={},
        today=TODAY,
    )
    update_services.update_submit(update=update, actor=manager, today=TODAY)
    if approve:
        update_services.update_approve(update=update, actor=coordinator, today=TODAY)
    return update


def test_a_project_never_reported_starts_at_its_first_month_with_nothing_carried(project):
    assert update_start(project, TODAY) == UpdateStart(period=D(2026, 2, 1))


def test_the_month_after_the_last_locked_one_is_proposed_with_its_figures(project, manager_a, coordinator_a):
    report(project, manager_a, coordinator_a, D(2026, 2, 1), percent="10", spend="50")
    report(project, manager_a, coordinator_a, D(2026, 3, 1), percent="25", spend="120")
    start = update_start(project, TODAY)
    assert start.period == D(2026, 4, 1)  # April is due and not locked; March is approved
    assert (start.percent_complete, start.spend_to_date) == (Decimal("25"), Decimal("120"))
    assert start.declared_confidence == Confidence.AMBER


def test_a_month_already_sent_is_skipped_and_when_all_are_sent_the_month_under_way(project, manager_a, coordinator_a):
    report(project, manager_a, coordinator_a, D(2026, 2, 1))
    report(project, manager_a, coordinator_a, D(2026, 3, 1), approve=False, percent="30", spend="150")
    start = update_start(project, TODAY)
    assert start.period == D(2026, 4, 1)
    assert start.percent_complete == Decimal("30")
    report(project, manager_a, coordinator_a, D(2026, 4, 1), approve=False, percent="40", spend="200")
    assert update_start(project, TODAY).period == D(2026, 5, 1)


def test_the_new_update_page_proposes_that_month_and_those_figures(project, manager_a, coordinator_a, client_for):
    report(project, manager_a, coordinator_a, D(2026, 2, 1), percent="10", spend="50")
    page = client_for(manager_a).get(f"/en/delivery/projects/{project.pk}/updates/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="10.00"' in html or 'value="10"' in html
    assert "كان الشهر صعبا" not in html  # the narrative starts empty


def test_a_milestone_label_gives_its_planned_date_in_the_pages_language_isolated(project, manager_a, client_for):
    from masar.portfolio.services import milestone_create

    milestone_create(actor=None, project=project, order=1, name_ar="إطلاق <b>", planned_date=D(2026, 5, 1))
    html = client_for(manager_a).get(f"/fr/delivery/projects/{project.pk}/updates/new/").content.decode()
    assert "<bdi>1 mai 2026</bdi>" in html
    assert "2026-05-01)" not in html
    assert "إطلاق &lt;b&gt;" in html


def test_the_update_pages_name_people_not_logins(project, manager_a, coordinator_a, client_for):
    manager_a.first_name, manager_a.last_name = "Amira", "Ben Salah"
    manager_a.save()
    update = report(project, manager_a, coordinator_a, D(2026, 2, 1))
    for url in (f"/en/delivery/updates/{update.pk}/", f"/en/delivery/projects/{project.pk}/updates/"):
        html = client_for(coordinator_a).get(url).content.decode()
        assert "Amira Ben Salah" in html and "manager_a" not in html, url
