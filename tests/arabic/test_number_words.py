"""Numbers in running Arabic text: digits, words, ordinals, scales, percentages (pure Python, no database)."""

from decimal import Decimal

import pytest

from masar.arabic.number_words import Written, find_numbers, read_number_words, read_ordinal


def span(text, piece, nth=0):
    """Return the (start, end) of the nth occurrence of piece in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def found(text, **options):
    """Return (piece as written, value) of every number found, checking each span's text on the way."""
    matches = find_numbers(text, **options)
    for match in matches:
        assert text[match.start : match.end] == match.text
    return [(match.text, match.value) for match in matches]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("واحد", 1),
        ("واحدة", 1),
        ("اثنان", 2),
        ("اثنين", 2),
        ("اثنتان", 2),
        ("اثنتين", 2),
        ("ثلاثة", 3),
        ("ثلاث", 3),
        ("ثمانية", 8),
        ("ثماني", 8),
        ("ثمان", 8),
        ("عشرة", 10),
        ("عشر", 10),
        ("أحد عشر", 11),
        ("إحدى عشرة", 11),
        ("احدى عشرة", 11),
        ("اثنا عشر", 12),
        ("اثني عشر", 12),
        ("اثنتا عشرة", 12),
        ("اثنتي عشرة", 12),
        ("ثلاثة عشر", 13),
        ("ثماني عشرة", 18),
        ("عشرون", 20),
        ("عشرين", 20),
        ("واحد وعشرون", 21),
        ("تسعة وأربعين", 49),
        ("تسعة و أربعين", 49),
        ("تسعون", 90),
        ("مائة", 100),
        ("مئة", 100),
        ("ماية", 100),
        ("مائتان", 200),
        ("مئتان", 200),
        ("مائتي", 200),
        ("مئتين", 200),
        ("ثلاثمائة", 300),
        ("ثلاث مائة", 300),
        ("ثلاثمئة", 300),
        ("ثمانمائة", 800),
        ("ثمانيمائة", 800),
        ("تسعمائة وتسعة وتسعون", 999),
        ("مائة وثمانية وثلاثون", 138),
        ("مائة وثلاثة عشر", 113),
        ("ألف", 1000),
        ("ألفان", 2000),
        ("ألفين", 2000),
        ("ثلاثة آلاف", 3000),
        ("عشرة آلاف", 10000),
        ("خمسة عشر ألفا", 15000),
        ("مائة ألف", 100000),
        ("مائتا ألف", 200000),
        ("ألف ومائتان", 1200),
        ("ألفين وواحد وعشرين", 2021),
        ("ثلاثة آلاف وخمسمائة", 3500),
        ("مليون", 1000000),
        ("مليونان", 2000000),
        ("خمسة ملايين", 5000000),
        ("مليون وخمسمائة ألف", 1500000),
        ("ثلاثة مليارات", 3000000000),
        ("مليار ومائتا مليون", 1200000000),
    ],
)
def test_it_reads_number_words(text, expected):
    assert read_number_words(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ثَلاثَةٌ", 3),  # diacritics
        ("ثــلاثــة", 3),  # tatweel
        ("ثلاثه", 3),  # ha for ta marbuta
        ("إثنا عشر", 12),  # hamza on the alef
        ("اربعة", 4),
        ("  مائة   وثمانية  ", 108),
        ("الثلاثة", 3),  # with the article
        ("الخمسين", 50),
    ],
)
def test_it_tolerates_spelling_variants(text, expected):
    assert read_number_words(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "محاور",
        "أحد",  # "one of"
        "إحدى",
        "آلاف",  # thousands: vague, not a number
        "مئات",
        "الاثنين",  # Monday
        "بالمائة",
        "ثلاثة محاور",  # a number and a noun is not a number
        "ثلاثة أربعة",  # two numbers, no و
        "عشرون وثلاثة",  # tens before units is not how Arabic writes 23
        "ثلاثون وأربعون",
        "ثلاثة وأربعة",
        "مائة مائة",
        "ألف مليون",  # a larger scale after a smaller one
        "ألفان ثلاثة",
        "ثلاثة ألفان",  # a dual after a count
        "3",
    ],
)
def test_it_refuses_what_is_not_one_number_in_words(text):
    assert read_number_words(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("الأول", 1),
        ("الاول", 1),
        ("الأولى", 1),
        ("الثاني", 2),
        ("الثانية", 2),
        ("الثالث", 3),
        ("الخامسة", 5),
        ("العاشر", 10),
        ("العاشرة", 10),
        ("الحادي عشر", 11),
        ("الحادية عشرة", 11),
        ("الثاني عشر", 12),
        ("العشرون", 20),
        ("الحادي والعشرون", 21),
        ("الحادي والثلاثين", 31),
        ("الثانية والعشرين", 22),
        ("أول", 1),
        ("ثالث", 3),
    ],
)
def test_it_reads_ordinals(text, expected):
    assert read_ordinal(text) == expected


@pytest.mark.parametrize("text", ["", "الحادي", "أولا", "المحور", "ثلاثة", "الأول الثاني"])
def test_it_refuses_what_is_not_an_ordinal(text):
    assert read_ordinal(text) is None


def test_it_finds_a_count_with_its_noun():
    text = "يتضمن 138 مشروعًا موزعة"
    (match,) = find_numbers(text)
    assert (match.start, match.end) == span(text, "138")
    assert match.value == 138 and match.noun == "مشروع" and match.written is Written.DIGITS


def test_it_keeps_the_count_and_the_ordinal_apart():
    text = "99 مشروعا في المحور الأول"
    count, rank = find_numbers(text)
    assert (count.start, count.end, count.value, count.noun) == (*span(text, "99"), 99, "مشروع")
    assert (rank.start, rank.end, rank.value, rank.written) == (*span(text, "الأول"), 1, Written.ORDINAL)
    assert rank.noun is None


@pytest.mark.parametrize(
    "text,piece,value,noun",
    [
        ("وتنقسم إلى ثلاثة محاور رئيسية", "ثلاثة", 3, "محاور"),
        ("وتنقسم لثلاثة محاور", "ثلاثة", 3, "محاور"),  # the preposition stays outside the span
        ("قدمت اثني عشر برنامجا", "اثني عشر", 12, "برنامج"),
        ("عددها تسعة وأربعين مشروعا", "تسعة وأربعين", 49, "مشروع"),
        ("موزعة على أربعة محاور:", "أربعة", 4, "محاور"),
        ("خلال تسعة سنوات", "تسعة", 9, "سنوات"),
        ("وقدمت الاستراتيجية /12/ برنامجاً", "12", 12, "برنامج"),
        ("البنية التحتية (9 مشاريع)", "9", 9, "مشاريع"),
        ("تضم ١٢٣ مشروعاً", "١٢٣", 123, "مشروع"),
        ("تضم ۱۲ مشروعا", "۱۲", 12, "مشروع"),
        ("والثلاثة مشاريع", "الثلاثة", 3, "مشاريع"),
        ("عدد 5 من المشاريع", "5", 5, None),  # a preposition is not the counted noun
        ("من العام 2021 وحتى العام", "2021", 2021, None),  # nor a conjunction
        ("بلغ 40 عضوًا", "40", 40, "عضو"),
    ],
)
def test_it_finds_one_number_in_running_text(text, piece, value, noun):
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.value, match.noun) == (*span(text, piece), value, noun)


def test_it_says_how_the_number_was_written():
    text = "12 و١٢ وثلاثة والثالث"
    assert [m.written for m in find_numbers(text)] == [
        Written.DIGITS,
        Written.EASTERN_DIGITS,
        Written.WORDS,
        Written.ORDINAL,
    ]


@pytest.mark.parametrize(
    "text,piece,value,scale",
    [
        ("109،9 مليار دينار", "109،9 مليار", "109900000000", 10**9),
        ("109٫9 مليار", "109٫9 مليار", "109900000000", 10**9),
        ("١٠٩٫٩ مليار", "١٠٩٫٩ مليار", "109900000000", 10**9),
        ("2,5 مليون", "2,5 مليون", "2500000", 10**6),
        ("5 ملايين دولار", "5 ملايين", "5000000", 10**6),
        ("500 ألف", "500 ألف", "500000", 10**3),
        ("3 آلاف", "3 آلاف", "3000", 10**3),
        ("12 مليارا", "12 مليارا", "12000000000", 10**9),
        ("2.5 millions de dinars", "2.5 millions", "2500000", 10**6),
        ("1,2 milliard", "1,2 milliard", "1200000000", 10**9),
        ("30 million dollars", "30 million", "30000000", 10**6),
    ],
)
def test_it_applies_a_scale_written_after_the_number(text, piece, value, scale):
    match = find_numbers(text)[0]
    assert (match.start, match.end, match.value, match.scale) == (*span(text, piece), Decimal(value), scale)


@pytest.mark.parametrize(
    "text,piece,value",
    [
        ("1.200.000,50 دينار", "1.200.000,50", "1200000.50"),
        ("1,200,000.50 دولار", "1,200,000.50", "1200000.50"),
        ("١٬٢٠٠٬٠٠٠ دينار", "١٬٢٠٠٬٠٠٠", "1200000"),
        ("مبلغ 1 200 000 دينار", "1 200 000", "1200000"),
        ("مبلغ 1\u202f200\u202f000,5 دينار", "1\u202f200\u202f000,5", "1200000.5"),
        ("القانون رقم 12.34", "12.34", "12.34"),
    ],
)
def test_it_reads_separators(text, piece, value):
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.value) == (*span(text, piece), Decimal(value))


def test_a_lone_separator_before_three_digits_is_read_by_the_decimal_mark_and_flagged():
    text = "1,200 مشروع"
    (arabic,) = find_numbers(text)
    (english,) = find_numbers(text, decimal_mark=".")
    assert (arabic.value, arabic.ambiguous) == (Decimal("1.2"), True)
    assert (english.value, english.ambiguous) == (Decimal("1200"), True)
    assert (arabic.start, arabic.end) == span(text, "1,200")
    assert not find_numbers("1,25 مليون")[0].ambiguous


def test_a_comma_and_a_space_separate_a_list():
    text = "المحاور 1، 2، 3"
    assert found(text) == [("1", 1), ("2", 2), ("3", 3)]
    assert [(m.start, m.end) for m in find_numbers(text)] == [span(text, "1"), span(text, "2"), span(text, "3")]


def test_commas_without_spaces_that_group_nothing_separate_too():
    assert found("1,2,3") == [("1", 1), ("2", 2), ("3", 3)]


def test_a_sentence_full_stop_is_not_a_decimal():
    assert found("وعددها 49. ثم") == [("49", 49)]


@pytest.mark.parametrize(
    "text,piece,value",
    [
        ("نسبة 60% من", "60%", 60),
        ("نسبة 60 % من", "60 %", 60),
        ("نسبة ٪60 من", "٪60", 60),
        ("نسبة ٦٠٪", "٦٠٪", 60),
        ("نسبة 7,5 بالمائة", "7,5 بالمائة", "7.5"),
        ("نسبة 45 في المائة", "45 في المائة", 45),
        ("نسبة 45 في المئة", "45 في المئة", 45),
        ("نسبة 45 بالمئة", "45 بالمئة", 45),
        ("نسبة ستون في المائة", "ستون في المائة", 60),
        ("un taux de 12 pour cent", "12 pour cent", 12),
        ("a rate of 12 percent", "12 percent", 12),
    ],
)
def test_it_finds_percentages(text, piece, value):
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.value, match.percent) == (*span(text, piece), Decimal(value), True)
    assert match.noun is None


def test_a_hundred_inside_a_percent_is_not_a_second_number():
    assert found("45 بالمائة و 50 في المائة") == [("45 بالمائة", 45), ("50 في المائة", 50)]


@pytest.mark.parametrize(
    "text,piece",
    [
        ("الأمر عدد 1234 لسنة 2021", "1234"),
        ("القانون رقم 12.34", "12.34"),
        ("الفصل 3 من الدستور", "3"),
        ("المادة 15", "15"),
        ("البند 4", "4"),
        ("article 12", "12"),
        ("n° 45", "45"),
    ],
)
def test_a_number_that_names_a_text_is_a_reference(text, piece):
    match = find_numbers(text)[0]
    assert (match.start, match.end, match.reference) == (*span(text, piece), True)


def test_a_year_after_a_reference_is_not_a_reference():
    text = "الأمر عدد 1234 لسنة 2021"
    assert [(m.value, m.reference) for m in find_numbers(text)] == [(1234, True), (2021, False)]


@pytest.mark.parametrize(
    "text",
    [
        "أحد المشاريع وإحدى الوزارات",  # "one of"
        "يوم الاثنين",  # Monday
        "مئات الآلاف من مناصب الشغل",  # vague
        "آلاف المشاريع",
        "التحول الرقمي",
        "شهر تشرين الأول",  # the ordinal belongs to the month
        "كانون الثاني",
        "- وضع الاستراتيجية",  # a bullet dash
    ],
)
def test_it_finds_no_number_where_there_is_none(text):
    assert find_numbers(text) == []


def test_a_dash_before_digits_is_not_a_minus_sign():
    text = "- 3 مشاريع"
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.value) == (*span(text, "3"), 3)


def test_diacritics_after_a_number_word_stay_in_its_span():
    text = "ثلاثةُ محاور"
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.text) == (0, 6, "ثلاثةُ")


def test_it_finds_every_number_of_a_paragraph_in_order():
    text = (
        "برنامج التحول الرقمي 2025-2026، الذي يتضمن 138 مشروعًا موزعة على أربعة محاور: "
        "التحول الرقمي للإدارة (99 مشروعًا) والمحور الثاني (18 مشروعًا)."
    )
    assert found(text) == [
        ("2025", 2025),
        ("2026", 2026),
        ("138", 138),
        ("أربعة", 4),
        ("99", 99),
        ("الثاني", 2),
        ("18", 18),
    ]
    assert [(m.start, m.end) for m in find_numbers(text)][3] == span(text, "أربعة")


def test_words_with_scale_read_as_one_number():
    text = "رصد ثلاثمائة ألف دينار"
    (match,) = find_numbers(text)
    assert (match.start, match.end, match.value, match.noun) == (*span(text, "ثلاثمائة ألف"), 300000, "دينار")


@pytest.mark.parametrize(("text", "value"), [("واحداً وعشرين مشروعاً", 21), ("ثلاثاً وعشرين", 23), ("تسعاً وتسعين", 99)])
def test_units_in_the_accusative_open_a_compound_number(text, value):
    assert find_numbers(text)[0].value == value


def test_a_figure_in_parentheses_goes_on_past_them_and_an_article_number_is_a_reference():
    count, amount = find_numbers("(١٨) مشروعاً بتكلفة (٣٦) مليار ريال")
    assert (count.value, count.noun) == (18, "مشروع")
    assert amount.value == 36_000_000_000
    assert find_numbers("المادة (4) من القانون")[0].reference
