"""The dashboards' figures on a portfolio small enough to count by hand.

Seven projects in two axes (and one with none), owned across a tree where the league has to fold
owners into ministries: a directorate and a sector (itself of the ministry kind) under ministry A,
a public body straight under the government (no ministry: it counts under the government), and a
ministry-kind agency under that body (its own ministry).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from masar.core.services import model_create
from masar.dashboards.selectors import compute, league_heads, ministry_expression
from masar.delivery.models import Confidence, ProgressUpdate, UpdateStatus
from masar.organizations.models import Organization, OrganizationKind
from masar.organizations.selectors import ministry_of
from masar.organizations.services import organization_create
from masar.portfolio.models import Project
from masar.portfolio.selectors import ProjectFilters
from masar.strategy.models import Axis
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project


def organization(code, kind, parent):
    return organization_create(actor=None, kind=kind, code=code, name_ar=f"هيكل {code}", name_en=code, parent=parent)


def update(project, period, spend, status):
    ProgressUpdate.objects.create(
        project=project,
        period=period,
        percent_complete=10,
        spend_to_date=spend,
        declared_confidence=Confidence.GREEN,
        status=status,
    )


@pytest.fixture
def tree(gov, ministry_a, directorate_a, ministry_b):
    body = organization("BODY-G", OrganizationKind.BODY, gov)
    return {
        "gov": gov,
        "ministry_a": ministry_a,
        "directorate_a": directorate_a,
        "sector_a": organization("SECTOR-A", OrganizationKind.MINISTRY, ministry_a),
        "ministry_b": ministry_b,
        "body": body,
        "agency": organization("AGENCY-M", OrganizationKind.MINISTRY, body),
    }


@pytest.fixture
def small_portfolio(tree, axis):
    """Return the seven projects; each line says what the figures below count of it."""
    axis2 = model_create(model=Axis, actor=None, data=dict(strategy=axis.strategy, order=2, name_ar="الاقتصاد الرقمي"))
    this_month = timezone.localdate().replace(day=1)
    long_ago = datetime.date(2020, 1, 1)
    t = tree
    p1 = make_project("P1", t["ministry_a"], axis, planned_budget=Decimal("1000"), status="in_progress")
    p2 = make_project("P2", t["directorate_a"], axis, planned_budget=Decimal("500"), status="planned")
    p3 = make_project("P3", t["sector_a"], axis2, planned_budget=Decimal("200"), status="in_progress")
    p4 = make_project("P4", t["ministry_b"], axis, planned_budget=Decimal("300"), status="completed")
    make_project("P5", t["ministry_b"], None, strategy=axis.strategy, status="suspended")  # no budget, no axis
    p6 = make_project("P6", t["body"], axis2, planned_budget=Decimal("100"), status="in_progress")
    p7 = make_project("P7", t["agency"], axis2, planned_budget=Decimal("400"), status="in_progress")
    make_health(p1, Confidence.GREEN, last_approved_period=this_month)  # fresh
    make_health(p2, Confidence.AMBER_GREEN)
    make_health(p3, Confidence.RED, declared=Confidence.GREEN, flagged=True)
    make_health(p4, Confidence.RED, declared=Confidence.GREEN, flagged=True, last_approved_period=long_ago)
    # P5 is not rated yet.
    make_health(p6, Confidence.AMBER)
    make_health(p7, Confidence.GREEN, last_approved_period=this_month)  # fresh
    # Spend: each project's latest submitted or approved update; a draft never counts.
    update(p1, "2025-11-01", 100, UpdateStatus.APPROVED)
    update(p1, "2025-12-01", 300, UpdateStatus.SUBMITTED)  # P1 spent 300
    update(p1, "2026-01-01", 999, UpdateStatus.DRAFT)
    update(p3, "2025-12-01", 50, UpdateStatus.APPROVED)  # P3 spent 50
    update(p4, "2025-10-01", 300, UpdateStatus.APPROVED)  # P4 spent 300
    update(p7, "2025-12-01", 120, UpdateStatus.SUBMITTED)  # P7 spent 120
    return {"axis": axis, "axis2": axis2}


@pytest.fixture
def figures(small_portfolio, national):
    with translation.override("en"):
        return compute(national, ProjectFilters())


def test_the_ratings_table_counts_each_project_once_by_axis_and_computed_rating(figures):
    cells = {row["name"]: [cell["n"] for cell in row["cells"]] for row in figures["axis_rows"]}
    # green, amber/green, amber, amber/red, red, not rated
    assert cells == {
        "التحول الرقمي للإدارة": [1, 1, 0, 0, 1, 0],  # P1, P2, P4
        "الاقتصاد الرقمي": [1, 0, 1, 0, 1, 0],  # P7, P6, P3
        None: [0, 0, 0, 0, 0, 1],  # P5
    }
    assert [row["total"] for row in figures["axis_rows"]] == [3, 3, 1]
    assert [column["n"] for column in figures["rating_columns"]] == [2, 1, 1, 0, 2, 1]
    assert figures["total"] == 7


def test_statuses_and_flags_are_counted_by_hand(figures):
    assert {row["status"]: row["n"] for row in figures["statuses"]} == {
        "planned": 1,  # P2
        "in_progress": 4,  # P1, P3, P6, P7
        "suspended": 1,  # P5
        "completed": 1,  # P4
        "cancelled": 0,
    }
    assert figures["flagged"] == 2  # P3, P4


def test_budget_and_spend_by_axis(figures):
    rows = [(row["name"], row["n"], row["budget"], row["spent"], row["share"]) for row in figures["budget_rows"]]
    assert rows == [
        ("التحول الرقمي للإدارة", 3, Decimal("1800"), Decimal("600"), 33),  # 1000+500+300; 300+0+300
        ("الاقتصاد الرقمي", 3, Decimal("700"), Decimal("170"), 24),  # 200+100+400; 50+0+120
        (None, 1, 0, 0, 0),  # P5: no budget, no update
    ]


def test_the_league_folds_owners_into_their_topmost_ministry_or_the_government(figures, tree):
    rows = [
        (row["pk"], row["n"], row["on_track"], row["on_track_share"], row["fresh"], row["fresh_share"])
        + (row["budget"], row["spent"], row["spent_share"])
        for row in figures["league"]
    ]
    assert rows == [
        (tree["agency"].pk, 1, 1, 100, 1, 100, Decimal("400"), Decimal("120"), 30),  # P7
        # P1, P2 (its directorate) and P3 (its sector, a ministry inside ministry A)
        (tree["ministry_a"].pk, 3, 2, 67, 1, 33, Decimal("1700"), Decimal("350"), 21),
        (tree["ministry_b"].pk, 2, 0, 0, 0, 0, Decimal("300"), Decimal("300"), 100),  # P4, P5
        (tree["gov"].pk, 1, 0, 0, 0, 0, Decimal("100"), 0, 0),  # P6: its body is under no ministry
    ]
    with translation.override("en"):
        assert [row["name"] for row in figures["league"]] == ["AGENCY-M", tree["ministry_a"].name_en] + [
            tree["ministry_b"].name_ar,  # no English name: the Arabic one
            tree["gov"].name_en,
        ]


def test_a_sectoral_dashboard_counts_its_subtree(small_portfolio, national, ministry_a):
    figures = compute(national, ProjectFilters(organization=ministry_a))
    assert figures["total"] == 3  # P1, P2, P3
    assert [(row["n"], row["on_track"], row["budget"]) for row in figures["league"]] == [(3, 2, Decimal("1700"))]


def test_the_ministry_computed_in_sql_is_the_one_ministry_of_gives(small_portfolio, tree):
    make_project("P8", tree["gov"], small_portfolio["axis"])  # owned by the government itself
    heads = league_heads()
    organizations = {o.pk: o for o in Organization.objects.all()}
    pairs = list(Project.objects.annotate(ministry=ministry_expression(heads)).values_list("owner", "ministry"))
    assert len({owner for owner, _ in pairs}) == 7  # every kind of owner is there
    for owner, ministry in pairs:
        assert ministry == ministry_of(organizations[owner], organizations).pk, organizations[owner].code
