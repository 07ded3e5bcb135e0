"""Amounts of money in running text, with their ISO 4217 currency (pure Python, no database)."""

from decimal import Decimal

import pytest

from masar.arabic.amounts import find_amounts


def span(text, piece):
    start = text.index(piece)
    return start, start + len(piece)


def test_a_bare_dinar_takes_the_currency_of_the_default_country():
    text = "بميزانية قدرها 109،9 مليار دينار"
    (amount,) = find_amounts(text, default_country="TN")
    assert (amount.start, amount.end) == span(text, "109،9 مليار دينار")
    assert (amount.value, amount.currency, amount.currency_text) == (Decimal("109900000000"), "TND", "دينار")
    assert amount.number.value == Decimal("109900000000")


def test_a_bare_dinar_without_a_default_country_has_no_currency():
    text = "بميزانية قدرها 109،9 مليار دينار"
    (amount,) = find_amounts(text)
    assert (amount.start, amount.end, amount.currency) == (*span(text, "109،9 مليار دينار"), None)


@pytest.mark.parametrize(
    "country,currency",
    [
        ("TN", "TND"),
        ("dz", "DZD"),
        ("KW", "KWD"),
        ("JO", "JOD"),
        ("IQ", "IQD"),
        ("BH", "BHD"),
        ("LY", "LYD"),
        ("MA", None),
    ],
)
def test_the_default_country_decides_only_a_dinar_it_uses(country, currency):
    text = "مبلغ 500 دينار"
    (amount,) = find_amounts(text, default_country=country)
    assert (amount.start, amount.end, amount.currency) == (*span(text, "500 دينار"), currency)


@pytest.mark.parametrize(
    "text,country,currency",
    [
        ("مبلغ 20 درهم", "MA", "MAD"),
        ("مبلغ 20 درهم", "AE", "AED"),
        ("مبلغ 20 درهم", "TN", None),
        ("مبلغ 20 ليرة", "SY", "SYP"),
        ("مبلغ 20 ليرة", "LB", "LBP"),
        ("مبلغ 20 ليرة", "TR", "TRY"),
        ("مبلغ 20 جنيه", "EG", "EGP"),
        ("مبلغ 20 جنيه", "SD", "SDG"),
        ("مبلغ 20 ريال", "SA", "SAR"),
        ("مبلغ 20 ريال", "QA", "QAR"),
        ("مبلغ 20 ريال", "OM", "OMR"),
        ("مبلغ 20 ريال", "YE", "YER"),
        ("مبلغ 20 ريال", None, None),
    ],
)
def test_every_bare_name_follows_the_default_country(text, country, currency):
    (amount,) = find_amounts(text, default_country=country)
    assert (amount.start, amount.end, amount.value, amount.currency) == (*span(text, text[5:]), 20, currency)


@pytest.mark.parametrize(
    "text,piece,value,currency",
    [
        ("رصد 1.200.000,50 دينار تونسي", "1.200.000,50 دينار تونسي", "1200000.50", "TND"),
        ("رصد 5 ملايين دولار أمريكي", "5 ملايين دولار أمريكي", "5000000", "USD"),
        ("رصد 5 ملايين دولار", "5 ملايين دولار", "5000000", "USD"),
        ("رصد 300 ألف دينار جزائري", "300 ألف دينار جزائري", "300000", "DZD"),
        ("رصد ثلاثة آلاف دينار أردني", "ثلاثة آلاف دينار أردني", "3000", "JOD"),
        ("رصد 2 مليون دينار كويتي", "2 مليون دينار كويتي", "2000000", "KWD"),
        ("رصد 7 ملايين دينار عراقي", "7 ملايين دينار عراقي", "7000000", "IQD"),
        ("رصد 4 آلاف دينار بحريني", "4 آلاف دينار بحريني", "4000", "BHD"),
        ("رصد 9 ملايين دينار ليبي", "9 ملايين دينار ليبي", "9000000", "LYD"),
        ("رصد 20 مليون درهم مغربي", "20 مليون درهم مغربي", "20000000", "MAD"),
        ("رصد 20 مليون درهم إماراتي", "20 مليون درهم إماراتي", "20000000", "AED"),
        ("رصد 3 ملايين ليرة سورية", "3 ملايين ليرة سورية", "3000000", "SYP"),
        ("رصد 3 ملايين ليرة لبنانية", "3 ملايين ليرة لبنانية", "3000000", "LBP"),
        ("رصد 3 ملايين ليرة تركية", "3 ملايين ليرة تركية", "3000000", "TRY"),
        ("بـ 40 ألف جنيه مصري", "40 ألف جنيه مصري", "40000", "EGP"),
        ("رصد 40 ألف جنيه سوداني", "40 ألف جنيه سوداني", "40000", "SDG"),
        ("رصد 500 ريال سعودي", "500 ريال سعودي", "500", "SAR"),
        ("رصد 500 ريال قطري", "500 ريال قطري", "500", "QAR"),
        ("رصد 500 ريال عماني", "500 ريال عماني", "500", "OMR"),
        ("رصد 500 ريال يمني", "500 ريال يمني", "500", "YER"),
        ("رصد 1000 أوقية", "1000 أوقية", "1000", "MRU"),
        ("رصد 5 ملايين يورو", "5 ملايين يورو", "5000000", "EUR"),
        ("رصد ٥ ملايين دولار", "٥ ملايين دولار", "5000000", "USD"),
        ("رصد مليون دينار تونسي", "مليون دينار تونسي", "1000000", "TND"),
        ("رصد 500 الدينار التونسي", "500 الدينار التونسي", "500", "TND"),
        ("رصد 120 دنانير تونسية", "120 دنانير تونسية", "120", "TND"),
        ("رصد 30 ديناراً تونسياً", "30 ديناراً تونسياً", "30", "TND"),
        ("رصد 12 د.ت", "12 د.ت", "12", "TND"),
        ("رصد 12 ر.س", "12 ر.س", "12", "SAR"),
    ],
)
def test_it_reads_the_currency_named_after_the_number(text, piece, value, currency):
    (amount,) = find_amounts(text)
    assert (amount.start, amount.end, amount.value, amount.currency) == (*span(text, piece), Decimal(value), currency)


@pytest.mark.parametrize(
    "text,piece,value,currency",
    [
        ("un budget de 2,5 millions de dinars algériens", "2,5 millions de dinars algériens", "2500000", "DZD"),
        ("un budget de 150 MDT", "150 MDT", "150000000", "TND"),
        ("un budget de 150 DT", "150 DT", "150", "TND"),
        ("un budget de 150 DA", "150 DA", "150", "DZD"),
        ("un budget de 30 millions d'euros", "30 millions d'euros", "30000000", "EUR"),
        ("a budget of 30 million US dollars", "30 million US dollars", "30000000", "USD"),
        ("a budget of 30 million Egyptian pounds", "30 million Egyptian pounds", "30000000", "EGP"),
        ("a budget of 12 USD", "12 USD", "12", "USD"),
        ("a budget of USD 12", "USD 12", "12", "USD"),
        ("a budget of $ 5 million", "$ 5 million", "5000000", "USD"),
        ("a budget of €30", "€30", "30", "EUR"),
        ("ميزانية 30 €", "30 €", "30", "EUR"),
        ("ميزانية 45 TND", "45 TND", "45", "TND"),
        ("ميزانية 45 MRU", "45 MRU", "45", "MRU"),
    ],
)
def test_it_reads_french_english_names_signs_and_codes(text, piece, value, currency):
    (amount,) = find_amounts(text)
    assert (amount.start, amount.end, amount.value, amount.currency) == (*span(text, piece), Decimal(value), currency)


def test_a_tunisian_abbreviation_carries_its_scale():
    text = "بكلفة 12,5 م.د"
    (amount,) = find_amounts(text, default_country="TN")
    assert (amount.start, amount.end, amount.value, amount.currency) == (*span(text, "12,5 م.د"), 12500000, "TND")


@pytest.mark.parametrize(
    "text,intro",
    [
        ("أي ما يعادل 30 مليون دولار", "أي ما يعادل "),
        ("ما يعادل 30 مليون دولار", "ما يعادل "),
        ("بما يعادل 30 مليون دولار", "بما يعادل "),
        ("أي حوالي 30 مليون دولار", "أي حوالي "),
        ("(أي 30 مليون دولار)", "(أي "),
        ("soit 30 millions de dollars", "soit "),
        ("l'équivalent de 30 millions de dollars", "l'équivalent de "),
    ],
)
def test_an_equivalent_amount_is_flagged(text, intro):
    (amount,) = find_amounts(text)
    assert amount.equivalent and amount.value == 30000000 and amount.currency == "USD"
    assert amount.start == len(intro)  # the introduction is outside the span


def test_an_amount_and_its_equivalent_are_two_amounts():
    text = "بكلفة 90 مليون دينار، أي ما يعادل 30 مليون دولار"
    first, second = find_amounts(text, default_country="TN")
    assert (first.start, first.end, first.currency, first.equivalent) == (*span(text, "90 مليون دينار"), "TND", False)
    assert (second.start, second.end, second.currency, second.equivalent) == (
        *span(text, "30 مليون دولار"),
        "USD",
        True,
    )


@pytest.mark.parametrize("intro", ["حوالي ", "نحو ", "قرابة ", "ما يقارب ", "environ "])
def test_an_approximate_amount_is_flagged(intro):
    text = intro + "20 مليون يورو"
    (amount,) = find_amounts(text)
    assert (amount.start, amount.approximate, amount.equivalent) == (len(intro), True, False)


def test_an_amount_without_an_introduction_is_neither_equivalent_nor_approximate():
    (amount,) = find_amounts("رصد 20 مليون يورو")
    assert not amount.equivalent and not amount.approximate


@pytest.mark.parametrize(
    "text",
    [
        "الأمر عدد 1234 لسنة 2021",
        "القانون رقم 12.34",
        "الفصل 3 من الدستور",
        "الهاتف 71 123 456",
        "نسبة 60% من الدينار",  # a percentage is not an amount
        "المحور الأول",
        "138 مشروعا",
        "دينار",  # a currency without a number
        "10 try",  # an ISO code counts only in capitals
        "قيمة 1 da",
        "2021-2030",
    ],
)
def test_it_finds_no_amount_where_there_is_none(text):
    assert find_amounts(text, default_country="TN") == []


def test_a_reference_is_not_an_amount_but_the_amount_after_it_is():
    text = "الأمر عدد 1234 لسنة 2021 المتعلق برصد 500 دينار"
    (amount,) = find_amounts(text, default_country="TN")
    assert (amount.start, amount.end, amount.value) == (*span(text, "500 دينار"), 500)


def test_amounts_come_in_reading_order_with_their_numbers():
    text = "خصص 3 ملايين دينار تونسي للمحور الأول و1,5 مليون يورو للمحور الثاني"
    amounts = find_amounts(text)
    assert [(a.text, a.value, a.currency) for a in amounts] == [
        ("3 ملايين دينار تونسي", 3000000, "TND"),
        ("1,5 مليون يورو", 1500000, "EUR"),
    ]
    assert [(a.start, a.end) for a in amounts] == [span(text, "3 ملايين دينار تونسي"), span(text, "1,5 مليون يورو")]


def test_an_amount_in_another_currency_in_parentheses_restates_the_one_before():
    first, second = find_amounts("ميزانية ١٢٫٤ مليار ريال سعودي (نحو ٣٫٣ مليارات دولار أمريكي)")
    assert (first.currency, first.equivalent) == ("SAR", False)
    assert (second.value, second.currency, second.equivalent) == (3_300_000_000, "USD", True)
    axis = find_amounts("المحور الأول (12 مليون دينار تونسي)")[0]
    assert not axis.equivalent  # no amount before it to restate


def test_the_euro_as_the_maghreb_writes_it():
    total, equivalent = find_amounts(
        "تبلغ الكلفة الجملية 1,13 مليار دينار، أي ما يعادل قرابة 335 مليون أورو", default_country="TN"
    )
    assert (total.value, total.currency) == (1_130_000_000, "TND")
    assert (equivalent.value, equivalent.currency, equivalent.equivalent) == (335_000_000, "EUR", True)
