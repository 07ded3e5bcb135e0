"""Finding the claims of a text: figures with what they count, bound to axes and phases, with exact spans."""

import datetime
from decimal import Decimal
from pathlib import Path

from masar.factcheck.claims import ClaimKind, find_claims

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "intake"


def _spans_are_exact(text, claims):
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text


def test_the_seed_003_communique_gives_its_program_counts_each_bound_to_its_axis():
    text = (SEEDS / "seed_003.txt").read_text(encoding="utf-8")
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    counts = [(c.kind, c.text, c.value, c.axis_name) for c in claims if c.kind != ClaimKind.PERIOD]
    assert counts == [
        (ClaimKind.PROJECT_COUNT, "138 مشروعًا", 138, None),
        (ClaimKind.AXIS_COUNT, "أربعة محاور", 4, None),
        (ClaimKind.PROJECT_COUNT, "99 مشروعًا", 99, "التحول الرقمي للإدارة"),
        (ClaimKind.PROJECT_COUNT, "18 مشروعًا", 18, "تعزيز الاقتصاد الرقمي"),
        (ClaimKind.PROJECT_COUNT, "12 مشروعًا", 12, "الأمن السيبراني والثقة الرقمية"),
        (ClaimKind.PROJECT_COUNT, "9 مشاريع", 9, "البنية التحتية الرقمية"),
    ]
    periods = [(c.text, c.value) for c in claims if c.kind == ClaimKind.PERIOD]
    assert periods == [("2026-2030", (2026, 2030)), ("2025-2026", (2025, 2026))]


def test_the_seed_002_news_item_states_nothing_masar_could_compare():
    text = (SEEDS / "seed_002.txt").read_text(encoding="utf-8")
    assert find_claims(text) == []  # dates of a meeting, "كوفيد-19", "مئات الآلاف": no figure Masar holds


def test_number_words_eastern_digits_and_ordinals_are_read():
    text = "يضم البرنامج مائة وثمانية وثلاثين مشروعًا، منها ٩٩ مشروعا في المحور الأول و١٨ مشروعا في المحور الثاني."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.text, c.value, c.axis_order) for c in claims] == [
        ("مائة وثمانية وثلاثين مشروعًا", 138, None),
        ("٩٩ مشروعا", 99, 1),
        ("١٨ مشروعا", 18, 2),
    ]


def test_a_phase_start_year_is_bound_to_the_phase_rank():
    text = "وتم انطلاق المرحلة الثانية سنة ٢٠٢٣، على أن تنتهي المرحلة الثالثة سنة 2030."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.kind, c.text, c.value, c.phase_order) for c in claims] == [
        (ClaimKind.PHASE_START, "٢٠٢٣", 2023, 2),
        (ClaimKind.PHASE_END, "2030", 2030, 3),
    ]


def test_a_percentage_with_a_decimal_comma_and_an_amount_with_its_scale():
    text = "بلغت نسبة الإنجاز 60٫5% من مشروع البوابة الوطنية، بكلفة 109،9 مليون دينار تونسي."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.kind, c.text, c.value) for c in claims] == [
        (ClaimKind.PERCENT, "60٫5%", Decimal("60.5")),
        (ClaimKind.AMOUNT, "109،9 مليون دينار تونسي", Decimal("109900000")),
    ]
    assert claims[1].currency == "TND"


def test_counts_of_programs_and_phases_and_an_adoption_date():
    text = "اعتمد مجلس الوزراء الاستراتيجية في 31/8/2021، وهي تضم 3 محاور و12 برنامجا و49 مشروعا على ثلاث مراحل."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.kind, c.value) for c in claims] == [
        (ClaimKind.ADOPTION, datetime.date(2021, 8, 31)),
        (ClaimKind.AXIS_COUNT, 3),
        (ClaimKind.PROGRAM_COUNT, 12),
        (ClaimKind.PROJECT_COUNT, 49),
        (ClaimKind.PHASE_COUNT, 3),
    ]


def test_a_french_communique_gives_its_counts():
    text = "Le programme comprend 138 projets répartis sur 4 axes, dont 99 projets dans l'axe 1."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.kind, c.value, c.axis_order) for c in claims] == [
        (ClaimKind.PROJECT_COUNT, 138, None),
        (ClaimKind.AXIS_COUNT, 4, None),
        (ClaimKind.PROJECT_COUNT, 99, 1),
    ]


def test_numbers_that_count_nothing_masar_holds_are_not_claims():
    assert find_claims("حضر الاجتماع 25 شخصا لمدة 3 أيام وفق الفصل 12 من القانون.") == []


def test_two_phases_in_one_clause_each_take_their_own_year_and_word():
    text = "تنتهي المرحلة الأولى سنة 2023 وتنطلق المرحلة الثالثة سنة 2027."
    claims = find_claims(text)
    _spans_are_exact(text, claims)
    assert [(c.kind, c.value, c.phase_order) for c in claims] == [
        (ClaimKind.PHASE_END, 2023, 1),
        (ClaimKind.PHASE_START, 2027, 3),
    ]
    # A year with no word of its own is no claim, even when the next one's word is in the clause.
    claims = find_claims("المرحلة الأولى سنة 2023 وتنطلق المرحلة الثالثة سنة 2027.")
    assert [(c.kind, c.value, c.phase_order) for c in claims] == [(ClaimKind.PHASE_START, 2027, 3)]
