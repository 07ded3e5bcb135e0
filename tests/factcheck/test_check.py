"""Checking claims against the platform's data, as a reader may read it."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.factcheck.check import Verdict, text_check
from tests.factcheck.factories import make_phase, make_program_2526, make_strategy
from tests.portfolio.factories import make_project

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
SEED_003 = (SEEDS / "seed_003.txt").read_text(encoding="utf-8")


def _by_text(checked):
    return {c.claim.text: (c.verdict, c.platform_value, c.path) for c in checked}


@pytest.fixture
def program_2526(ministry_a):
    return make_program_2526(ministry_a)


def test_the_seed_003_communique_is_consistent_with_the_program_masar_holds(program_2526):
    found = _by_text(text_check(Reader.public(), SEED_003))
    path = f"/ar/strategies/{program_2526.pk}/"
    for text, figure in (("138 مشروعًا", 138), ("99 مشروعًا", 99), ("18 مشروعًا", 18), ("12 مشروعًا", 12)):
        assert found[text] == (Verdict.CONSISTENT, figure, path)
    assert found["9 مشاريع"] == (Verdict.CONSISTENT, 9, path)
    assert found["أربعة محاور"] == (Verdict.CONSISTENT, 4, path)
    assert found["2025-2026"] == (Verdict.CONSISTENT, "2025-2026", path)
    assert found["2026-2030"] == (Verdict.UNVERIFIABLE, None, None)  # the vision is not on this platform


def test_a_wrong_axis_figure_is_contradicted_with_masars_figure_and_link(program_2526):
    text = SEED_003.replace("(99 مشروعًا)", "(95 مشروعًا)")
    found = _by_text(text_check(Reader.public(), text))
    assert found["95 مشروعًا"] == (Verdict.CONTRADICTED, 99, f"/ar/strategies/{program_2526.pk}/")
    assert found["18 مشروعًا"][0] == Verdict.CONSISTENT


def test_a_count_bound_to_an_axis_by_its_rank_is_compared_with_that_axis(program_2526):
    text = "برنامج التحول الرقمي 2025-2026 يضم ١٨ مشروعا في المحور الأول و18 مشروعا في المحور الثاني."
    found = _by_text(text_check(Reader.public(), text))
    assert found["١٨ مشروعا"][:2] == (Verdict.CONTRADICTED, 99)
    assert found["18 مشروعا"][:2] == (Verdict.CONSISTENT, 18)


def test_without_a_planned_figure_the_projects_the_reader_may_read_are_counted(ministry_a, ministry_b):
    strategy = make_strategy(ministry_a, "S-LINKED", "استراتيجية الصحة الرقمية", 2024, 2027)
    for n in range(3):
        make_project(f"P-{n}", ministry_a, None, strategy=strategy)
    make_project("P-HIDDEN", ministry_b, None, strategy=strategy, classification=Classification.CONFIDENTIAL)
    checked = text_check(Reader.public(), "تضم استراتيجية الصحة الرقمية 4 مشاريع.")
    assert [(c.verdict, c.platform_value) for c in checked] == [(Verdict.CONTRADICTED, 3)]


def test_a_phase_start_year_is_checked_against_the_phase(program_2526):
    make_phase(program_2526, 1, "التأسيس", 2025, 2025)
    make_phase(program_2526, 2, "التعميم", 2026, 2026)
    right = text_check(Reader.public(), "برنامج التحول الرقمي 2025-2026: انطلاق المرحلة الثانية سنة 2026.")
    wrong = text_check(Reader.public(), "برنامج التحول الرقمي 2025-2026: انطلاق المرحلة الثانية سنة 2023.")
    assert [(c.claim.text, c.verdict, c.platform_value) for c in right][-1] == ("2026", Verdict.CONSISTENT, 2026)
    assert [(c.claim.text, c.verdict, c.platform_value) for c in wrong][-1] == ("2023", Verdict.CONTRADICTED, 2026)


def test_two_records_named_alike_are_never_guessed_between(ministry_a, ministry_b):
    make_strategy(ministry_a, "S-1", "برنامج الإدارة الرقمية", 2025, 2026, planned_project_count=10)
    make_strategy(ministry_b, "S-2", "برنامج الإدارة الرقمية", 2027, 2028, planned_project_count=20)
    checked = text_check(Reader.public(), "يضم برنامج الإدارة الرقمية 10 مشاريع.")
    assert [(c.verdict, c.platform_value, c.path) for c in checked] == [(Verdict.UNVERIFIABLE, None, None)]


def test_the_seed_002_news_item_is_answered_with_exact_spans(program_2526):
    text = (SEEDS / "seed_002.txt").read_text(encoding="utf-8")
    checked = text_check(Reader.public(), text)
    for item in checked:
        assert text[item.claim.start : item.claim.end] == item.claim.text
    assert all(item.verdict == Verdict.UNVERIFIABLE for item in checked)


def test_a_confidential_program_decides_nothing_for_the_public_and_everything_for_its_ministry(
    ministry_a, viewer_a, coordinator_b
):
    make_program_2526(ministry_a, classification=Classification.CONFIDENTIAL)
    text = SEED_003.replace("(99 مشروعًا)", "(95 مشروعًا)")
    for reader in (Reader.public(), Reader.of(coordinator_b)):
        found = _by_text(text_check(reader, text))
        assert found["95 مشروعًا"] == (Verdict.UNVERIFIABLE, None, None)
        assert found["138 مشروعًا"] == (Verdict.UNVERIFIABLE, None, None)
    found = _by_text(text_check(Reader.of(viewer_a), text))
    assert found["95 مشروعًا"][:2] == (Verdict.CONTRADICTED, 99)


def _queries(text):
    with CaptureQueriesContext(connection) as queries:
        text_check(Reader.public(), text)
    return len(queries)


def test_the_queries_of_a_check_do_not_grow_with_its_claims(program_2526):
    make_phase(program_2526, 1, "التأسيس", 2025, 2025)
    few = "يضم برنامج التحول الرقمي 2025-2026 ما مجموعه 138 مشروعا."
    many = (
        SEED_003
        + "\n"
        + "\n".join(
            f"برنامج التحول الرقمي 2025-2026: {n} مشروعا في المحور الأول، وانطلاق المرحلة الأولى سنة 2025، "
            f"ونسبة الإنجاز {n}% بكلفة {n} مليون دينار."
            for n in range(1, 30)
        )
    )
    assert len(text_check(Reader.public(), many)) > 100
    assert _queries(many) <= _queries(few) + 4  # the projects, progress and indicators read once, for all claims
    assert _queries(many) <= 10
