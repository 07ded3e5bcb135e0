"""Phases' years, percentages and amounts checked against the records they name: the phases of a strategy, a
project's progress (its latest approved update), a percentage indicator's latest approved national value, a
project's planned budget. Each is consistent, contradicted (with Masar's figure and the record's page), or
unverifiable for a reader who may not read the record."""

import datetime
from decimal import Decimal

import pytest

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.delivery.services import updates
from masar.factcheck.check import Verdict, text_check
from tests.delivery.factories import make_update
from tests.factcheck.factories import make_phase, make_strategy
from tests.indicators.factories import approved, make_indicator, year
from tests.portfolio.factories import make_project

PORTAL = "البوابة الوطنية للخدمات الإدارية"
HEALTH = "المنصة الرقمية للصحة"


def _verdicts(reader, text):
    return [(c.claim.text, c.verdict, c.platform_value, c.path) for c in text_check(reader, text)]


@pytest.fixture
def portal_project(ministry_a, axis, manager_a, coordinator_a):
    """A public project at 60% in its latest approved update, published to the public."""
    project = make_project(
        "P-PORTAL", ministry_a, axis, name_ar=PORTAL, manager=manager_a, planned_budget=Decimal("109900000")
    )
    make_update(
        project,
        datetime.date(2026, 3, 1),
        1000,
        by=manager_a,
        reviewer=coordinator_a,
        percent=40,
        classification=Classification.PUBLIC,
    )
    make_update(
        project,
        datetime.date(2026, 4, 1),
        2000,
        by=manager_a,
        reviewer=coordinator_a,
        percent=60,
        classification=Classification.PUBLIC,
    )
    return project


def test_a_projects_progress_is_its_latest_approved_update(portal_project):
    path = f"/ar/projects/{portal_project.pk}/"
    right = _verdicts(Reader.public(), f"بلغت نسبة إنجاز مشروع {PORTAL} 60%.")
    rounded = _verdicts(Reader.public(), f"بلغت نسبة إنجاز مشروع {PORTAL} 60٫5%.")  # within a point
    wrong = _verdicts(Reader.public(), f"بلغت نسبة إنجاز مشروع {PORTAL} 85%.")
    assert right == [("60%", Verdict.CONSISTENT, 60, path)]
    assert rounded == [("60٫5%", Verdict.CONSISTENT, 60, path)]
    assert wrong == [("85%", Verdict.CONTRADICTED, 60, path)]


def test_a_draft_update_is_not_masars_figure_even_for_its_author(portal_project, manager_a):
    updates.update_save(
        project=portal_project,
        actor=manager_a,
        period=datetime.date(2026, 5, 1),
        percent_complete=Decimal(85),
        spend_to_date=Decimal(3000),
        declared_confidence="green",
        narrative="",
        today=datetime.date(2026, 5, 20),
        figures_confirmed=True,
    )
    checked = _verdicts(Reader.of(manager_a), f"بلغت نسبة إنجاز مشروع {PORTAL} 85%.")
    assert [(text, verdict, figure) for text, verdict, figure, _path in checked] == [("85%", Verdict.CONTRADICTED, 60)]


def test_a_progress_the_reader_may_not_read_is_unverifiable(
    ministry_a, axis, manager_a, coordinator_a, viewer_a, coordinator_b
):
    project = make_project(
        "P-HEALTH", ministry_a, axis, name_ar=HEALTH, manager=manager_a, classification=Classification.CONFIDENTIAL
    )
    make_update(project, datetime.date(2026, 4, 1), 500, by=manager_a, reviewer=coordinator_a, percent=30)
    text = f"بلغت نسبة إنجاز {HEALTH} 45%."
    for reader in (Reader.public(), Reader.of(coordinator_b)):
        assert _verdicts(reader, text) == [("45%", Verdict.UNVERIFIABLE, None, None)]
    assert _verdicts(Reader.of(viewer_a), text) == [
        ("45%", Verdict.CONTRADICTED, 30, f"/ar/projects/{project.pk}/")  # positive control: its ministry reads it
    ]


def test_a_percentage_indicator_is_checked_against_its_latest_approved_national_value(
    ministry_a, coordinator_a, national, coordinator_b
):
    coverage = make_indicator(
        "IND-COV",
        ministry_a,
        name_ar="نسبة التغطية بالنطاق العريض",
        kind="percentage",
        unit_ar="%",
        aggregation="mean",
    )
    approved(coverage, year(2024), 68, by=coordinator_a, approver=national)
    approved(coverage, year(2025), 72.5, by=coordinator_a, approver=national)
    path = f"/ar/indicators/{coverage.pk}/"
    assert _verdicts(Reader.public(), "بلغت نسبة التغطية بالنطاق العريض 72٫5% في 2025.")[0] == (
        "72٫5%",
        Verdict.CONSISTENT,
        72.5,
        path,
    )
    assert _verdicts(Reader.public(), "بلغت نسبة التغطية بالنطاق العريض 90%.") == [
        ("90%", Verdict.CONTRADICTED, 72.5, path)
    ]
    hidden = make_indicator(
        "IND-HID",
        ministry_a,
        name_ar="نسبة رقمنة الأرشيف",
        kind="percentage",
        unit_ar="%",
        aggregation="mean",
        classification=Classification.CONFIDENTIAL,
    )
    approved(hidden, year(2025), 20, by=coordinator_a, approver=national)
    text = "بلغت نسبة رقمنة الأرشيف 35%."
    for reader in (Reader.public(), Reader.of(coordinator_b)):
        assert _verdicts(reader, text) == [("35%", Verdict.UNVERIFIABLE, None, None)]
    assert _verdicts(Reader.of(coordinator_a), text) == [
        ("35%", Verdict.CONTRADICTED, 20, f"/ar/indicators/{hidden.pk}/")
    ]


def test_a_count_indicator_decides_no_percentage(ministry_a, coordinator_a, national):
    online = make_indicator("IND-SRV", ministry_a, name_ar="عدد الخدمات على الخط")
    approved(online, year(2025), 40, by=coordinator_a, approver=national)
    assert _verdicts(Reader.public(), "بلغ عدد الخدمات على الخط 40%.") == [("40%", Verdict.UNVERIFIABLE, None, None)]


def test_an_amount_is_checked_against_the_projects_planned_budget(portal_project, ministry_a, axis, viewer_a):
    path = f"/ar/projects/{portal_project.pk}/"
    right = _verdicts(Reader.public(), f"رصدت لمشروع {PORTAL} ميزانية قدرها 109،9 مليون دينار تونسي.")
    wrong = _verdicts(Reader.public(), f"رصدت لمشروع {PORTAL} ميزانية قدرها 120 مليون دينار تونسي.")
    other = _verdicts(Reader.public(), f"رصدت لمشروع {PORTAL} ميزانية قدرها 109،9 مليون يورو.")
    assert right == [("109،9 مليون دينار تونسي", Verdict.CONSISTENT, 109900000, path)]
    assert wrong == [("120 مليون دينار تونسي", Verdict.CONTRADICTED, 109900000, path)]
    assert other == [("109،9 مليون يورو", Verdict.UNVERIFIABLE, None, None)]  # another currency: not compared
    hidden = make_project(
        "P-SECRET",
        ministry_a,
        axis,
        name_ar=HEALTH,
        planned_budget=Decimal("5000000"),
        classification=Classification.CONFIDENTIAL,
    )
    text = f"كلفة {HEALTH} 7 ملايين دينار تونسي."
    assert _verdicts(Reader.public(), text) == [("7 ملايين دينار تونسي", Verdict.UNVERIFIABLE, None, None)]
    assert _verdicts(Reader.of(viewer_a), text) == [
        ("7 ملايين دينار تونسي", Verdict.CONTRADICTED, 5000000, f"/ar/projects/{hidden.pk}/")
    ]


STRATEGY_004 = "الاستراتيجية الوطنية للتحول الرقمي للخدمات الحكومية"


def _strategy_004(owner, classification=Classification.PUBLIC):
    """The strategy of seed 004: three phases, 2021-2023, 2023-2027 and 2027-2030."""
    strategy = make_strategy(owner, "S-004", STRATEGY_004, 2021, 2030, classification=classification)
    for order, (name, start, end) in enumerate(
        (
            ("المرحلة التأسيسية", 2021, 2023),
            ("مرحلة الانتقال لخدمات تفاعلية", 2023, 2027),
            ("مرحلة التحول", 2027, 2030),
        ),
        start=1,
    ):
        make_phase(strategy, order, name, start, end)
    return strategy


def test_a_phases_start_and_end_are_checked_against_the_phases_of_the_strategy_named(ministry_a):
    strategy = _strategy_004(ministry_a)
    path = f"/ar/strategies/{strategy.pk}/"
    assert _verdicts(Reader.public(), f"{STRATEGY_004}: انطلاق المرحلة الثانية سنة 2023.") == [
        ("2023", Verdict.CONSISTENT, 2023, path)
    ]
    assert _verdicts(Reader.public(), f"انطلاق المرحلة الثانية من {STRATEGY_004} سنة 2024.") == [
        ("2024", Verdict.CONTRADICTED, 2023, path)
    ]
    both = f"وفق {STRATEGY_004} تنتهي المرحلة الأولى سنة 2024 وتنطلق المرحلة الثالثة سنة 2027."
    assert _verdicts(Reader.public(), both) == [
        ("2024", Verdict.CONTRADICTED, 2023, path),
        ("2027", Verdict.CONSISTENT, 2027, path),
    ]
    # No plan named: which strategy's second phase is it? Nothing is guessed.
    assert _verdicts(Reader.public(), "انطلاق المرحلة الثانية سنة 2023.") == [
        ("2023", Verdict.UNVERIFIABLE, None, None)
    ]
    # A phase the strategy does not have.
    assert _verdicts(Reader.public(), f"{STRATEGY_004}: انطلاق المرحلة الرابعة سنة 2030.") == [
        ("2030", Verdict.UNVERIFIABLE, None, None)
    ]


def test_the_phases_of_a_strategy_the_reader_may_not_read_decide_nothing(ministry_a, viewer_a, coordinator_b):
    strategy = _strategy_004(ministry_a, classification=Classification.CONFIDENTIAL)
    text = f"{STRATEGY_004}: انطلاق المرحلة الثانية سنة 2024."
    for reader in (Reader.public(), Reader.of(coordinator_b)):
        assert _verdicts(reader, text) == [("2024", Verdict.UNVERIFIABLE, None, None)]
    assert _verdicts(Reader.of(viewer_a), text) == [
        ("2024", Verdict.CONTRADICTED, 2023, f"/ar/strategies/{strategy.pk}/")
    ]


def test_a_projects_state_as_the_text_says_it(ministry_a, axis, coordinator_a):
    from masar.portfolio.models import ProjectStatus

    done = make_project("P-DONE", ministry_a, axis, name_ar=PORTAL, status=ProjectStatus.COMPLETED)
    going = make_project("P-GOING", ministry_a, axis, name_ar=HEALTH, status=ProjectStatus.IN_PROGRESS)
    text = f"اكتمل مشروع {PORTAL}، بينما لم يكتمل مشروع {HEALTH} بعد."
    assert _verdicts(Reader.public(), text) == [
        ("اكتمل", Verdict.CONSISTENT, "completed", f"/ar/projects/{done.pk}/"),
        ("لم يكتمل", Verdict.CONSISTENT, "in_progress", f"/ar/projects/{going.pk}/"),
    ]
    wrong = _verdicts(Reader.public(), f"اكتمل مشروع {HEALTH}.")
    assert wrong == [("اكتمل", Verdict.CONTRADICTED, "in_progress", f"/ar/projects/{going.pk}/")]
    assert _verdicts(Reader.public(), "اكتمل المشروع.") == [("اكتمل", Verdict.UNVERIFIABLE, None, None)]


def test_a_confidential_projects_state_decides_nothing_for_the_public(ministry_a, axis, coordinator_a):
    from masar.portfolio.models import ProjectStatus

    hidden = make_project(
        "P-HID",
        ministry_a,
        axis,
        name_ar=PORTAL,
        status=ProjectStatus.IN_PROGRESS,
        classification=Classification.CONFIDENTIAL,
    )
    text = f"اكتمل مشروع {PORTAL}."
    assert _verdicts(Reader.public(), text) == [("اكتمل", Verdict.UNVERIFIABLE, None, None)]
    assert _verdicts(Reader.of(coordinator_a), text) == [
        ("اكتمل", Verdict.CONTRADICTED, "in_progress", f"/ar/projects/{hidden.pk}/")
    ]


DASHBOARDS = "إنشاء لوحات قيادة وطنية وقطاعية لمتابعة مؤشرات الأداء"


def test_a_decisions_state_as_the_text_says_it(gov, ministry_a, national):
    from tests.decisions.factories import make_decision, make_meeting

    meeting = make_meeting(owner=gov, date=datetime.date(2026, 1, 6))
    decision = make_decision(meeting=meeting, responsible=ministry_a, text_ar=DASHBOARDS)
    path = f"/ar/meetings/{meeting.pk}/#decision-{decision.pk}"
    said_done = f"وقد تم تنفيذ قرار {DASHBOARDS}."
    assert _verdicts(Reader.public(), said_done) == [("تم تنفيذ", Verdict.CONTRADICTED, "not_started", path)]
    assert _verdicts(Reader.public(), f"لم يتم تنفيذ قرار {DASHBOARDS} بعد.") == [
        ("لم يتم تنفيذ", Verdict.CONSISTENT, "not_started", path)
    ]
    hidden = make_meeting(owner=gov, decisions_published=False)
    make_decision(meeting=hidden, responsible=ministry_a, text_ar="ربط السجل العقاري بمنظومة الضرائب الوطنية")
    unpublished = "تم تنفيذ قرار ربط السجل العقاري بمنظومة الضرائب الوطنية."
    assert _verdicts(Reader.public(), unpublished) == [("تم تنفيذ", Verdict.UNVERIFIABLE, None, None)]
