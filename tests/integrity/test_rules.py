"""Cardinal's red flags: each flags its case and leaves its near miss alone; missing data is not computable."""

import datetime
from decimal import Decimal

import pytest

from masar.integrity.models import (
    AwardStatus,
    BidStatus,
    ExchangeRate,
    Item,
    ProcurementMethod,
    RuleSetting,
)
from masar.integrity.rules import RULES, evaluate
from masar.integrity.rules.base import fences, quantile
from tests.integrity.factories import at, make_award, make_bid, make_supplier, make_tender, make_trail

pytestmark = pytest.mark.django_db


def run(code, **params):
    rule = RULES[code]
    return rule.find(rule.params(params))


def keys(code, **params):
    return {f.key for f in run(code, **params).findings}


def priced(buyer, winner, loser, winning, second, **extra):
    """Return a process won by winner with one active award, winner's and loser's valid bids."""
    tender = make_tender(buyer=buyer, **extra)
    make_bid(tender, winner, winning)
    make_bid(tender, loser, second)
    make_award(tender, winner, winning)
    return tender


@pytest.fixture
def w(ministry_a):
    return make_supplier("W", owner=ministry_a)


@pytest.fixture
def loser(ministry_a):
    return make_supplier("L", owner=ministry_a)


# Statistics ------------------------------------------------------------------------------------------


def test_quartiles_are_cardinals_type_8():
    # Type 8: h = (n + 1/3) tau + 1/3; for 1, 99, 99, 99, 99, Q1 = 1 + (2/3) 98 and Q3 = 99.
    cut = fences([1, 99, 99, 99, 99])
    assert round(cut.q1, 4) == 66.3333
    assert cut.q3 == 99
    assert round(quantile([6, 1, 1, 1, 1, 1], 0.75), 4) == 1.4167
    assert quantile([], 0.5) != quantile([], 0.5)  # NaN for no values


# R003 -------------------------------------------------------------------------------------------------


def test_r003_flags_a_short_period_and_not_a_long_enough_one(ministry_a):
    short = make_tender("short", buyer=ministry_a, published_at=at("2025-03-01"), deadline=at("2025-03-10"))
    enough = make_tender("enough", buyer=ministry_a, published_at=at("2025-03-01"), deadline=at("2025-03-16"))
    make_tender("undated", buyer=ministry_a, published_at=None)
    result = run("R003")
    assert {f.key for f in result.findings} == {"R003:tender:short"}
    finding = result.findings[0]
    assert finding.tender_id == short.pk and finding.figures["days"] == 9 and finding.threshold == 15
    assert "9" in RULES["R003"].explain(finding.figures)
    assert result.not_computable == 1
    # A longer minimum catches the 15-day period too; a minimum per procurement method details as well.
    assert keys("R003", threshold=16) == {"R003:tender:short", "R003:tender:enough"}
    enough.method_details = "Urgence"
    enough.save()
    assert keys("R003", procurement_method_details={"Urgence": 20}) == {"R003:tender:short", "R003:tender:enough"}
    assert keys("R003", procurement_method_details={"Urgence": 5}) == {"R003:tender:short"}


# R018 -------------------------------------------------------------------------------------------------


def test_r018_flags_a_single_tenderer_in_a_competitive_procedure(ministry_a, w, loser):
    make_tender("single", buyer=ministry_a, number_of_tenderers=1)
    make_tender("two", buyer=ministry_a, number_of_tenderers=2)
    make_tender("direct", buyer=ministry_a, number_of_tenderers=1, method=ProcurementMethod.DIRECT)
    only = make_tender("bids-one", buyer=ministry_a)
    make_bid(only, w, 100)
    make_bid(only, w, 90)
    both = make_tender("bids-two", buyer=ministry_a)
    make_bid(both, w, 100)
    make_bid(both, loser, 110)
    make_tender("unknown", buyer=ministry_a)
    result = run("R018")
    assert {f.key for f in result.findings} == {"R018:tender:single", "R018:tender:bids-one"}
    assert result.not_computable == 1
    assert keys("R018", procurement_methods="open|direct") >= {"R018:tender:direct"}


# R024 and R058 -----------------------------------------------------------------------------------------


def test_r024_flags_a_second_bid_close_to_the_winners_and_both_tenderers(ministry_a, w, loser):
    close = priced(ministry_a, w, loser, 100, 101, ocid="close")
    for n in range(4):
        priced(ministry_a, w, loser, 100, 150, ocid=f"far-{n}")
    result = run("R024")
    assert {f.key for f in result.findings} == {"R024:tender:close", "R024:supplier:W", "R024:supplier:L"}
    tender = next(f for f in result.findings if f.subject == "tender")
    assert tender.tender_id == close.pk and tender.value == pytest.approx(0.01)
    assert tender.threshold == pytest.approx(fences([0.01, 0.5, 0.5, 0.5, 0.5]).lower)
    # With a fixed fence, the comparison is "at or below".
    assert keys("R024", threshold=0.01) == {"R024:tender:close", "R024:supplier:W", "R024:supplier:L"}
    assert keys("R024", threshold=0.009) == set()


def test_r024_leaves_out_a_process_the_lowest_bid_did_not_win_or_with_a_pending_award(ministry_a, w, loser):
    priced(ministry_a, w, loser, 100, 99, ocid="not-lowest")
    pending = priced(ministry_a, w, loser, 100, 100.5, ocid="pending")
    make_award(pending, loser, 100.5, status=AwardStatus.PENDING)
    priced(ministry_a, w, loser, 100, 100.5, ocid="counted")
    assert keys("R024", threshold=0.05) == {"R024:tender:counted", "R024:supplier:W", "R024:supplier:L"}


def test_r024_counts_a_bid_in_a_currency_without_rate_as_not_computable(ministry_a, w, loser):
    tender = make_tender("eur", buyer=ministry_a)
    make_bid(tender, w, 100, currency="EUR")
    make_bid(tender, loser, 101)
    make_award(tender, w, 100)
    result = run("R024", threshold=0.05)
    assert result.findings == [] and result.not_computable == 1
    # Once converted (a rate of 1 for the test), the amounts compare and the process is flagged.
    ExchangeRate.objects.create(currency="EUR", valid_from=datetime.date(2020, 1, 1), rate=Decimal("1.0"))
    tender.bids.filter(currency="EUR").update(amount_base=Decimal("100"))
    result = run("R024", threshold=0.05)
    assert {f.key for f in result.findings} == {"R024:tender:eur", "R024:supplier:W", "R024:supplier:L"}
    assert result.not_computable == 0


def test_r058_flags_a_heavily_discounted_winner(ministry_a, w, loser):
    priced(ministry_a, w, loser, 1, 100, ocid="lemon")
    for n in range(4):
        priced(ministry_a, w, loser, 1, 2, ocid=f"normal-{n}")
    result = run("R058")
    assert {f.key for f in result.findings} == {"R058:tender:lemon", "R058:supplier:W"}
    assert next(f for f in result.findings if f.subject == "tender").value == 99.0
    assert keys("R058", threshold=100) == set()
    assert keys("R058", threshold=99) == {"R058:tender:lemon", "R058:supplier:W"}


def test_price_comparisons_leave_out_the_procedures_named_in_the_settings(ministry_a, w, loser):
    priced(ministry_a, w, loser, 100, 100.5, ocid="lottery", method_details="Sorteo")
    assert keys("R024", threshold=0.05) != set()
    assert keys("R024", threshold=0.05, no_price_comparison_procurement_methods="Sorteo") == set()
    assert keys("R024", threshold=0.05, price_comparison_procurement_methods=["Reverse Auction"]) == set()


# R025 -------------------------------------------------------------------------------------------------


def test_r025_flags_a_top_tenderer_that_mostly_loses(ministry_a):
    frequent = make_supplier("F", owner=ministry_a)
    alone = make_tender("0", buyer=ministry_a)
    make_bid(alone, frequent, None)
    make_award(alone, frequent, None)
    for n in range(1, 6):
        other = make_supplier(f"S{n}", owner=ministry_a)
        tender = make_tender(str(n), buyer=ministry_a)
        make_bid(tender, frequent, None)
        make_bid(tender, other, None)
        make_award(tender, other, None)
    result = run("R025")
    assert [f.key for f in result.findings] == ["R025:supplier:F"]
    assert result.findings[0].value == pytest.approx(1 / 6)
    assert keys("R025", threshold=0.1) == set()


# R028 -------------------------------------------------------------------------------------------------


def test_r028_flags_identical_prices_of_different_tenderers(ministry_a, w, loser):
    same = make_tender("same", buyer=ministry_a)
    make_bid(same, w, 1000)
    make_bid(same, loser, 1000, status=BidStatus.DISQUALIFIED)
    near = make_tender("near", buyer=ministry_a)
    make_bid(near, w, 1000)
    make_bid(near, loser, 1000.01)
    own = make_tender("own", buyer=ministry_a)
    make_bid(own, w, 1000)
    make_bid(own, w, 1000)
    withdrawn = make_tender("withdrawn", buyer=ministry_a)
    make_bid(withdrawn, w, 1000)
    make_bid(withdrawn, loser, 1000, status=BidStatus.WITHDRAWN)
    assert keys("R028") == {"R028:tender:same", "R028:supplier:W", "R028:supplier:L"}


# R030 -------------------------------------------------------------------------------------------------


def test_r030_flags_a_winning_bid_received_after_the_deadline(ministry_a, w, loser):
    late = make_tender("late", buyer=ministry_a, deadline=at("2025-03-15"))
    make_bid(late, w, 100, received_at=at("2025-04-01"))
    make_award(late, w, 100)
    lost = make_tender("late-loser", buyer=ministry_a, deadline=at("2025-03-15"))
    make_bid(lost, w, 100)
    make_bid(lost, loser, 90, received_at=at("2025-04-01"))
    make_award(lost, w, 100)
    undated = make_tender("undated", buyer=ministry_a, deadline=None)
    make_bid(undated, w, 100, received_at=at("2025-04-01"))
    make_award(undated, w, 100)
    result = run("R030")
    assert {f.key for f in result.findings} == {"R030:tender:late", "R030:supplier:W"}
    assert result.not_computable == 1


# R035, R036, R038 -------------------------------------------------------------------------------------------


def test_r035_flags_a_winner_whose_rivals_were_all_disqualified(ministry_a, w, loser):
    other = make_supplier("D2", owner=ministry_a)
    alone = make_tender("alone", buyer=ministry_a)
    make_bid(alone, w, 100)
    make_bid(alone, loser, 90, status=BidStatus.DISQUALIFIED)
    make_award(alone, w, 100)
    rival = make_tender("rival", buyer=ministry_a)
    make_bid(rival, w, 100)
    make_bid(rival, loser, 90, status=BidStatus.DISQUALIFIED)
    make_bid(rival, other, 95)
    make_award(rival, w, 100)
    result = run("R035")
    assert {f.key for f in result.findings} == {"R035:tender:alone", "R035:supplier:W"}
    assert next(f for f in result.findings if f.subject == "tender").value == 1.0
    assert keys("R035", threshold=2) == set()


def test_r036_flags_a_disqualified_lowest_bid(ministry_a, w, loser):
    lowest = make_tender("lowest", buyer=ministry_a)
    make_bid(lowest, loser, 100, status=BidStatus.DISQUALIFIED)
    make_bid(lowest, w, 111)
    make_award(lowest, w, 111)
    higher = make_tender("higher", buyer=ministry_a)
    make_bid(higher, loser, 120, status=BidStatus.DISQUALIFIED)
    make_bid(higher, w, 111)
    make_award(higher, w, 111)
    tie = make_tender("tie", buyer=ministry_a)
    make_bid(tie, loser, 111, status=BidStatus.DISQUALIFIED)
    make_bid(tie, w, 111)
    make_award(tie, w, 111)
    unawarded = make_tender("unawarded", buyer=ministry_a)
    make_bid(unawarded, loser, 100, status=BidStatus.DISQUALIFIED)
    make_bid(unawarded, w, 111)
    assert keys("R036") == {"R036:tender:lowest"}


def test_r038_flags_a_buyer_disqualifying_many_bids(ministry_a):
    first, second = make_supplier("W1", owner=ministry_a), make_supplier("D", owner=ministry_a)
    heavy = make_tender("0", buyer=ministry_a, buyer_ref="B")
    make_bid(heavy, first, 100)
    make_bid(heavy, second, 100, status=BidStatus.DISQUALIFIED)
    for n in range(1, 5):
        make_bid(make_tender(str(n), buyer=ministry_a, buyer_ref=str(n)), make_supplier(owner=ministry_a), 100)
    result = run("R038")
    assert [f.key for f in result.findings] == ["R038:buyer:B"]
    assert result.findings[0].value == 0.5 and result.findings[0].subject == "buyer"
    # A buyer needs the minimum of submitted bids to be compared at all.
    assert keys("R038", minimum_contracting_processes=3) == set()


def test_r038_flags_a_tenderer_with_many_disqualified_bids(ministry_a):
    misconduct = make_supplier("M", owner=ministry_a)
    for n in range(4):
        honest = make_supplier(f"H{n}", owner=ministry_a)
        tender = make_tender(f"t{n}", buyer=ministry_a, buyer_ref=f"b{n}")
        make_bid(tender, honest, 100)
        make_bid(tender, honest, 100)
        make_bid(tender, misconduct, 100, status=BidStatus.DISQUALIFIED if n else BidStatus.VALID)
    result = run("R038")
    assert [f.key for f in result.findings] == ["R038:supplier:M"]
    assert result.findings[0].value == 0.75


# R044 -------------------------------------------------------------------------------------------------


def test_r044_flags_rivals_sharing_a_telephone_written_differently(ministry_a):
    one = make_supplier("ONE", owner=ministry_a, phone="+216 71 123 456")
    two = make_supplier("TWO", owner=ministry_a, phone="0021671123456")
    three = make_supplier("THREE", owner=ministry_a, phone="71 999 999")
    shared = make_tender("shared", buyer=ministry_a)
    make_bid(shared, one, 100)
    make_bid(shared, two, 110)
    make_bid(shared, three, 120)
    apart = make_tender("apart", buyer=ministry_a)
    make_bid(apart, one, 100)
    make_bid(apart, three, 110)
    result = run("R044")
    assert {f.key for f in result.findings} == {"R044:tender:shared", "R044:supplier:ONE", "R044:supplier:TWO"}
    assert "phone" in next(f for f in result.findings if f.subject == "tender").figures["fields"]
    assert keys("R044", fields=["address", "email"]) == set()


def test_r044_treats_two_arabic_spellings_of_one_name_as_one_business(ministry_a):
    first = make_supplier("A1", owner=ministry_a, name_ar="شركة الأمل للمقاولات")
    second = make_supplier("A2", owner=ministry_a, name_ar="شركه الامل للمقاولات")
    other = make_supplier("B1", owner=ministry_a, name_ar="شركة النور")
    assert first.name_key == second.name_key != other.name_key
    tender = make_tender("spellings", buyer=ministry_a)
    make_bid(tender, first, 100)
    make_bid(tender, second, 105)
    make_bid(tender, other, 110)
    assert keys("R044") == {"R044:tender:spellings", "R044:supplier:A1", "R044:supplier:A2"}


# R048 -------------------------------------------------------------------------------------------------


def test_r048_flags_a_supplier_of_unrelated_kinds_of_items(ministry_a):
    varied = make_supplier("F", owner=ministry_a)
    tender, _ = make_trail(ministry_a, winner=varied)
    award = tender.awards.get()
    Item.objects.create(tender=tender, award=award, code="10000000")
    Item.objects.create(tender=tender, award=award, code="11000000")
    for n in range(4):
        plain = make_supplier(f"P{n}", owner=ministry_a)
        other, _ = make_trail(ministry_a, winner=plain)
        Item.objects.create(tender=other, award=other.awards.get(), code="10000000")
    assert keys("R048", minimum_contracting_processes=1) == {"R048:supplier:F"}
    assert keys("R048") == set()  # nobody was awarded in 20 processes
    assert keys("R048", minimum_contracting_processes=1, threshold=3) == set()


# Settings ---------------------------------------------------------------------------------------------


def test_evaluate_applies_the_national_units_settings(ministry_a):
    make_tender("fifteen", buyer=ministry_a, published_at=at("2025-03-01"), deadline=at("2025-03-16"))
    assert evaluate(["R003"])["R003"].findings == []
    RuleSetting.objects.create(code="R003", params={"threshold": 20, "unknown": 1})
    assert [f.key for f in evaluate(["R003"])["R003"].findings] == ["R003:tender:fifteen"]
    RuleSetting.objects.filter(code="R003").update(enabled=False)
    assert "R003" not in evaluate(["R003"])
    assert set(evaluate()) == set(RULES) - {"R003"}


def test_every_rule_explains_itself_and_says_why():
    for code, rule in RULES.items():
        assert rule.code == code
        assert str(rule.title) and str(rule.why) and str(rule.notes)
        assert isinstance(rule.explain({}), str) and rule.explain({})
