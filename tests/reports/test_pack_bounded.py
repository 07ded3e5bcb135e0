"""A council pack names a bounded number of projects, obstacles and decisions, worst and soonest first, and
counts the others: what WeasyPrint holds does not grow with the portfolio, and the figures stay whole."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from masar.core.models import Classification
from masar.core.services import model_create
from masar.delivery.models import Confidence, Obstacle
from masar.reports import services
from masar.reports.models import CouncilPack
from masar.reports.services import pack_build, pack_context
from tests.decisions.factories import make_decision, make_meeting
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def small_limits(monkeypatch, settings, tmp_path):
    """Name two projects, one obstacle under each and two decisions; keep files in a temporary folder."""
    monkeypatch.setattr(services, "AT_RISK_SHOWN", 2)
    monkeypatch.setattr(services, "OBSTACLES_SHOWN", 1)
    monkeypatch.setattr(services, "DECISIONS_SHOWN", 2)
    settings.MEDIA_ROOT = tmp_path


def report(project, description, reported_at):
    obstacle = model_create(
        model=Obstacle,
        actor=None,
        data=dict(
            project=project,
            category="legal",
            severity="high",
            description=description,
            must_act=project.owner,
            classification=Classification.RESTRICTED,
        ),
    )
    Obstacle.objects.filter(pk=obstacle.pk).update(reported_at=reported_at)
    return obstacle


@pytest.fixture
def at_risk(ministry_a, ministry_b, axis):
    """Add red and amber/red projects R-<n> (every third amber/red), each with two open obstacles, up to a number."""

    def add(upto):
        for number in range(len(made), upto):
            project = make_project(f"R-{number:02d}", ministry_a, axis, name_fr=f"Projet {number}")
            make_health(project, Confidence.AMBER_RED if number % 3 == 0 else Confidence.RED)
            report(project, f"older obstacle {number}", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
            report(project, f"newer obstacle {number}", datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
            made.append(project)
        return made

    made = []
    # Above the pack's classification: neither named nor counted.
    hidden = make_project("R-SECRET", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    make_health(hidden, Confidence.RED)
    return add


@pytest.fixture
def decisions(gov, ministry_a):
    meeting = make_meeting(owner=gov, name_fr="Conseil", date=datetime.date(2026, 3, 12))
    for order, days in enumerate([20, 3, -10, 12], start=1):  # due in 20 days, in 3, 10 days ago, in 12
        due = TODAY + datetime.timedelta(days=days)
        make_decision(meeting=meeting, responsible=ministry_a, order=order, text_fr=f"Décision {days}", due_date=due)


def context_of(user, classification=Classification.RESTRICTED):
    pack = CouncilPack.objects.create(requested_by=user, language="fr", classification=classification)
    with translation.override("fr"):
        return pack_context(pack, today=TODAY)


def test_the_pack_names_the_worst_projects_and_counts_the_others(at_risk, national):
    projects = at_risk(6)
    context = context_of(national)
    named = [item["project"].code for item in context["at_risk"]]
    reds = sorted(p.code for p in projects if p.health.computed == Confidence.RED)
    assert named == reds[:2]  # red before amber/red, then by code
    assert context["at_risk_more"] == 6 - 2  # R-SECRET is above the pack's classification: not counted
    assert sum(n for _, value, n in context["totals"] if value in (Confidence.RED, Confidence.AMBER_RED)) == 6
    for item in context["at_risk"]:
        assert [o.description for o in item["obstacles"]] == [f"newer obstacle {int(item['project'].code[2:])}"]
        assert item["more_obstacles"] == 1
    confidential = context_of(national, Classification.CONFIDENTIAL)
    assert confidential["at_risk_more"] == 7 - 2  # the positive control: R-SECRET counts where it may be read


def test_the_pack_names_the_decisions_due_soonest_and_counts_the_others(decisions, national):
    context = context_of(national)
    assert [d.text for d in context["decisions"]] == ["Décision -10", "Décision 3"]
    assert context["decisions_more"] == 2


def test_the_packs_queries_do_not_grow_with_its_projects(at_risk, decisions, national):
    at_risk(3)
    context_of(national)  # what the process caches is read once
    with CaptureQueriesContext(connection) as few:
        context_of(national)
    at_risk(9)
    with CaptureQueriesContext(connection) as many:
        context = context_of(national)
    assert len(context["at_risk"]) == 2 and context["at_risk_more"] == 7
    assert len(many) == len(few)


def test_the_pdf_says_how_many_are_not_named(at_risk, decisions, national):
    at_risk(4)
    pack = CouncilPack.objects.create(requested_by=national, language="en", classification=Classification.RESTRICTED)
    pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    text = subprocess.run(["pdftotext", pack.file.path, "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "R-01" in flat and "R-02" in flat and "R-00" not in flat and "R-03" not in flat
    assert "2 other red or amber/red projects are not named here" in flat
    assert "And 1 other open obstacle." in flat
