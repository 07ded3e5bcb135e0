"""Dates and year ranges in running text (pure Python, no database)."""

import datetime

import pytest

from masar.arabic.dates import Calendar, Precision, find_dates, find_year_ranges, parse_month


def span(text, piece):
    start = text.index(piece)
    return start, start + len(piece)


@pytest.mark.parametrize(
    "text,piece,day",
    [
        ("اعتمد بجلسته المنعقدة بتاريخ 31/8/2021 الاستراتيجية", "31/8/2021", (2021, 8, 31)),
        ("بتاريخ 2021-08-31", "2021-08-31", (2021, 8, 31)),
        ("بتاريخ 2021/08/31", "2021/08/31", (2021, 8, 31)),
        ("بتاريخ 31.08.2021", "31.08.2021", (2021, 8, 31)),
        ("بتاريخ 31-08-2021", "31-08-2021", (2021, 8, 31)),
        ("بتاريخ ٣١/٨/٢٠٢١", "٣١/٨/٢٠٢١", (2021, 8, 31)),
        ("صدر في 31 أوت 2021", "31 أوت 2021", (2021, 8, 31)),
        ("صدر في ٣١ أغسطس ٢٠٢١", "٣١ أغسطس ٢٠٢١", (2021, 8, 31)),
        ("صدر يوم الثلاثاء 31 غشت 2021", "يوم الثلاثاء 31 غشت 2021", (2021, 8, 31)),
        ("صدر الثلاثاء، 31 غشت 2021", "الثلاثاء، 31 غشت 2021", (2021, 8, 31)),
        ("صدر في الحادي والثلاثين من شهر آب سنة 2021", "الحادي والثلاثين من شهر آب سنة 2021", (2021, 8, 31)),
        ("الإثنين 22 فبراير 2021 على الساعة 16:18", "الإثنين 22 فبراير 2021", (2021, 2, 22)),
        ("دخل حيز التنفيذ في فاتح يناير 2021،", "فاتح يناير 2021", (2021, 1, 1)),
        ("في 12 كانون الثاني 2022", "12 كانون الثاني 2022", (2022, 1, 12)),
        ("في 3 تشرين الأول 2022", "3 تشرين الأول 2022", (2022, 10, 3)),
        ("في 5 أيار 2020", "5 أيار 2020", (2020, 5, 5)),
        ("في 5 حزيران، 2020", "5 حزيران، 2020", (2020, 6, 5)),
        ("في 14 جانفي 2011", "14 جانفي 2011", (2011, 1, 14)),
        ("في 20 فيفري 2020", "20 فيفري 2020", (2020, 2, 20)),
        ("في 9 أفريل 2020", "9 أفريل 2020", (2020, 4, 9)),
        ("في 25 جويلية 2021", "25 جويلية 2021", (2021, 7, 25)),
        ("في 25 جوان 2021", "25 جوان 2021", (2021, 6, 25)),
        ("في 30 يوليوز 2021", "30 يوليوز 2021", (2021, 7, 30)),
        ("في 30 شتنبر 2021", "30 شتنبر 2021", (2021, 9, 30)),
        ("في 30 نونبر 2021", "30 نونبر 2021", (2021, 11, 30)),
        ("في 30 دجنبر 2021", "30 دجنبر 2021", (2021, 12, 30)),
        ("في 1 إبريل 2021", "1 إبريل 2021", (2021, 4, 1)),
        ("في 15 مايو سنة 2021", "15 مايو سنة 2021", (2021, 5, 15)),
        ("في 15 مايو عام 2021", "15 مايو عام 2021", (2021, 5, 15)),
        ("في 17 أبريل 2022 م", "17 أبريل 2022 م", (2022, 4, 17)),
        ("le 31 août 2021", "31 août 2021", (2021, 8, 31)),
        ("on 31 August 2021", "31 August 2021", (2021, 8, 31)),
    ],
)
def test_it_finds_a_day(text, piece, day):
    (date,) = find_dates(text)
    assert (date.start, date.end, date.text) == (*span(text, piece), piece)
    assert date.date == datetime.date(*day)
    assert (date.year, date.month, date.day) == day
    assert (date.calendar, date.precision) == (Calendar.GREGORIAN, Precision.DAY)


@pytest.mark.parametrize(
    "text,piece,year,month",
    [
        ("أصدر نهاية شهر دجنبر 2020 منشورا", "شهر دجنبر 2020", 2020, 12),
        ("في أيار 2020", "أيار 2020", 2020, 5),
        ("خلال شهر مارس 2021", "شهر مارس 2021", 2021, 3),
        ("خلال شهر مارس من سنة 2021", "شهر مارس من سنة 2021", 2021, 3),
    ],
)
def test_a_month_without_a_day_says_so(text, piece, year, month):
    (date,) = find_dates(text)
    assert (date.start, date.end) == span(text, piece)
    assert (date.year, date.month, date.day, date.date, date.precision) == (year, month, None, None, Precision.MONTH)


@pytest.mark.parametrize(
    "text,piece,parts,precision",
    [
        ("صدر في 15 رمضان 1443 هـ", "15 رمضان 1443 هـ", (1443, 9, 15), Precision.DAY),
        ("صدر في 1 ذو القعدة 1442 هجرية", "1 ذو القعدة 1442 هجرية", (1442, 11, 1), Precision.DAY),
        ("صدر في غرة شوال 1443هـ", "غرة شوال 1443هـ", (1443, 10, 1), Precision.DAY),
        ("صدر في 1443/05/12", "1443/05/12", (1443, 5, 12), Precision.DAY),
        ("صدر في 12/5/1443 هـ", "12/5/1443 هـ", (1443, 5, 12), Precision.DAY),
        ("صدر عام 1443 هـ", "1443 هـ", (1443, None, None), Precision.YEAR),
        ("صدر عام ١٤٤٣ه", "١٤٤٣ه", (1443, None, None), Precision.YEAR),
    ],
)
def test_a_hijri_date_stays_hijri(text, piece, parts, precision):
    (date,) = find_dates(text)
    assert (date.start, date.end) == span(text, piece)
    assert (date.year, date.month, date.day) == parts
    assert (date.calendar, date.precision, date.date) == (Calendar.HIJRI, precision, None)


def test_a_hijri_date_and_its_gregorian_equivalent_are_two_dates():
    text = "صدر في 15 رمضان 1443 هـ الموافق 17 أبريل 2022 م"
    hijri, gregorian = find_dates(text)
    assert (hijri.start, hijri.end, hijri.calendar) == (*span(text, "15 رمضان 1443 هـ"), Calendar.HIJRI)
    assert (gregorian.start, gregorian.end, gregorian.date) == (
        *span(text, "17 أبريل 2022 م"),
        datetime.date(2022, 4, 17),
    )


@pytest.mark.parametrize(
    "text",
    [
        "الأمر عدد 1234 لسنة 2021",  # a decree number and a year: no date
        "القانون رقم 12.34",
        "لسنة 2021",  # a year alone
        "اليوم الاثنين (22 فبراير)",  # no year
        "30/2/2021",  # no such day
        "32/1/2021",
        "31/13/2021",
        "2021-2030",  # a range of years
        "الهاتف 71.123.456",
        "1.200.000 دينار",
        "كوفيد-19",
        "شهر تشرين الأول",
    ],
)
def test_it_finds_no_date_where_there_is_none(text):
    assert find_dates(text) == []


def test_dates_come_in_reading_order():
    text = "بين 31/8/2021 و الحادي عشر من أيلول 2021 ثم 2022-01-05"
    assert [(d.text, d.date) for d in find_dates(text)] == [
        ("31/8/2021", datetime.date(2021, 8, 31)),
        ("الحادي عشر من أيلول 2021", datetime.date(2021, 9, 11)),
        ("2022-01-05", datetime.date(2022, 1, 5)),
    ]
    assert find_dates(text)[1].start == span(text, "الحادي عشر")[0]


def test_parse_month_still_reads_every_regional_name():
    assert [parse_month(name) for name in ("أوت", "غشت", "آب", "أغسطس", "كانون أول", "تشرين ثاني")] == [
        8,
        8,
        8,
        8,
        12,
        11,
    ]


@pytest.mark.parametrize(
    "text,piece,years",
    [
        ("الاستراتيجية 2021-2030", "2021-2030", (2021, 2030)),
        ("للفترة 2026–2030", "2026–2030", (2026, 2030)),
        ("للفترة 2026—2030", "2026—2030", (2026, 2030)),
        ("من 2021 إلى 2023", "من 2021 إلى 2023", (2021, 2023)),
        ("الخطة 2023 - 2027", "2023 - 2027", (2023, 2027)),
        ("الخطة (2021-2023)", "2021-2023", (2021, 2023)),
        ("الفترة 2025-2026", "2025-2026", (2025, 2026)),
        ("وتمتد زمنياً من العام 2021 وحتى العام 2023.", "من العام 2021 وحتى العام 2023", (2021, 2023)),
        ("خلال تسعة سنوات من العام 2021 وحتى عام 2030،", "من العام 2021 وحتى عام 2030", (2021, 2030)),
        ("بين عامي 2021 و2023", "بين عامي 2021 و2023", (2021, 2023)),
        ("من سنة 2020 لغاية سنة 2024", "من سنة 2020 لغاية سنة 2024", (2020, 2024)),
        ("الخطة ٢٠٢١-٢٠٢٥", "٢٠٢١-٢٠٢٥", (2021, 2025)),
        ("la stratégie 2021/2025", "2021/2025", (2021, 2025)),
        ("de 2021 à 2025", "de 2021 à 2025", (2021, 2025)),
        ("from 2021 to 2025", "from 2021 to 2025", (2021, 2025)),
    ],
)
def test_it_finds_a_range_of_years(text, piece, years):
    (found,) = find_year_ranges(text)
    assert (found.start, found.end, found.text) == (*span(text, piece), piece)
    assert (found.start_year, found.end_year) == years


@pytest.mark.parametrize(
    "text",
    [
        "الأمر عدد 1234/2021",  # a decree number and its year
        "2030-2021",  # backwards
        "2021-2021",
        "بتاريخ 2021-08-31",  # a date
        "الفصل 12-13",
        "لسنة 2021",
        "1500-2021",  # more than a century
    ],
)
def test_it_finds_no_range_where_there_is_none(text):
    assert find_year_ranges(text) == []


def test_ranges_come_in_reading_order():
    text = "المرحلة الأولى من العام 2021 وحتى العام 2023 والثانية 2023-2027"
    assert [(r.text, r.start_year, r.end_year) for r in find_year_ranges(text)] == [
        ("من العام 2021 وحتى العام 2023", 2021, 2023),
        ("2023-2027", 2023, 2027),
    ]
