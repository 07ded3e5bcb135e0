"""Reading official texts into the intake shape (pure Python, no database)."""

from pathlib import Path

import pytest

from masar.intake import extract

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
ALL_KEYS = {
    "kind",
    "organization",
    "parent_organization",
    "missions",
    "name",
    "period",
    "axes",
    "programs",
    "phases",
    "total_projects",
    "budget",
    "body",
    "date",
    "decisions",
}


def seed(number: int) -> dict[str, object]:
    return extract((FIXTURES / f"seed_{number:03d}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("number", range(5))
def test_every_key_of_the_three_kinds_is_present(number):
    assert set(seed(number)) == ALL_KEYS


def test_it_reads_the_ministry_and_its_missions_without_the_lead_in():
    result = seed(0)
    assert result["kind"] == "mandate"
    assert result["organization"] == "وزارة تكنولوجيات الاتصال"
    assert result["parent_organization"] is None
    missions = result["missions"]
    assert len(missions) == 14
    assert missions[0] == "وضع الإستراتيجية الوطنية للقطاع والسهر على متابعة تنفيذها"
    assert missions[2].startswith("رصد التطـورات في مجال")
    assert not any(mission.startswith(("تتولى", "تعمل", "-", "ـ")) for mission in missions[:7])
    assert result["name"] is None and result["decisions"] is None and result["body"] is None


def test_it_reads_the_missions_of_the_sector_not_those_of_its_directorates():
    result = seed(1)
    assert result["kind"] == "mandate"
    assert result["organization"] == "قطاع التواصل"
    missions = result["missions"]
    assert len(missions) == 11
    assert missions[1] == "إعداد مخططات لتطوير مجال صناعة الألعاب الإلكترونية"
    assert "الكتابة العامة" not in missions
    assert result["parent_organization"] is None


def test_a_press_release_is_read_as_decisions_with_its_body_and_date():
    result = seed(2)
    assert result["kind"] == "decisions"
    assert result["body"] == "رئاسة الحكومة"
    assert result["date"] == "2021-02-22"
    assert result["missions"] is None


def test_a_council_communique_is_read_as_decisions_and_the_program_it_presents_as_well():
    result = seed(3)
    assert result["kind"] == "decisions"
    assert result["body"] == "مجلس وزاري"
    assert result["date"] is None  # "يوم الثلاثاء": a weekday without a date
    decisions = result["decisions"]
    assert decisions[0] == "دمج المشاريع الرقمية في المنصة الوطنية لمتابعة المشاريع العامة"
    assert decisions[1] == "إنشاء لوحات قيادة وطنية وقطاعية لمتابعة مؤشرات الأداء"
    assert decisions[2].startswith("تعميم التفاعل بين الوزارات والهيئات العامة")
    assert any(decision.startswith("اعتماد سياسة وطنية للبيانات المفتوحة") for decision in decisions)
    assert result["name"] == "برنامج التحول الرقمي"
    assert result["period"] == {"start_year": 2025, "end_year": 2026}
    assert result["total_projects"] == 138
    axes = result["axes"]
    assert [axis["projects"] for axis in axes] == [99, 18, 12, 9]
    assert axes[0]["name"] == "التحول الرقمي للإدارة"
    assert axes[2]["name"] == "الأمن السيبراني والثقة الرقمية"
    vision = result["programs"]["items"][0]
    assert (vision["name"], vision["start_year"], vision["end_year"]) == ("رؤية وطنية موحدة للرقمنة", 2026, 2030)
    assert result["budget"] is None


def test_it_reads_the_axes_programs_projects_and_phases_of_a_strategy():
    result = seed(4)
    assert result["kind"] == "strategy"
    assert result["name"] == "الاستراتيجيّة الوطنيّة للتّحوّل الرّقمي للخدمات الحكوميّة"
    assert result["period"] == {"start_year": 2021, "end_year": 2030}
    assert len(result["axes"]) == 3
    assert result["axes"][1]["name"] == "تحسين كفاءة الأداء الحكومي"
    assert result["programs"]["count"] == 12
    assert result["total_projects"] == 49
    assert [(phase["start_year"], phase["end_year"]) for phase in result["phases"]] == [
        (2021, 2023),
        (2023, 2027),
        (2027, 2030),
    ]
    assert result["phases"][0]["name"] == "المرحلة التّأسيسيّة"
    assert result["missions"] is None and result["decisions"] is None


def test_a_maghreb_decree_with_dashes_on_one_line():
    text = (
        "الفصل 2 - تتولى المديرية العامة للتحول الرقمي التابعة لوزارة الاقتصاد الرقمي القيام بالمهام التالية: "
        "- إعداد الاستراتيجية الوطنية للرقمنة؛ - متابعة تنفيذ المشاريع العمومية الرقمية؛ - تنسيق أعمال الهياكل المعنية."
    )
    result = extract(text)
    assert result["kind"] == "mandate"
    assert result["organization"] == "المديرية العامة للتحول الرقمي"
    assert result["parent_organization"] == "وزارة الاقتصاد الرقمي"
    assert result["missions"] == [
        "إعداد الاستراتيجية الوطنية للرقمنة",
        "متابعة تنفيذ المشاريع العمومية الرقمية",
        "تنسيق أعمال الهياكل المعنية",
    ]


def test_a_levant_decree_with_numbered_missions():
    text = """المادة 3: تتولى هيئة الخدمات الرقمية المهام الآتية:
1- اقتراح السياسات العامة في مجال الخدمات الحكومية الالكترونية.
2- الإشراف على تنفيذ مشاريع أتمتة الخدمات.
3- وضع المعايير الفنية لتبادل البيانات بين الجهات العامة."""
    result = extract(text)
    assert result["kind"] == "mandate"
    assert result["organization"] == "هيئة الخدمات الرقمية"
    assert result["missions"] == [
        "اقتراح السياسات العامة في مجال الخدمات الحكومية الالكترونية",
        "الإشراف على تنفيذ مشاريع أتمتة الخدمات",
        "وضع المعايير الفنية لتبادل البيانات بين الجهات العامة",
    ]


def test_a_council_of_ministers_lists_its_decisions():
    text = (
        "قرر مجلس الوزراء في جلسته المنعقدة بتاريخ ١٤/٣/٢٠٢٢ برئاسة رئيس مجلس الوزراء ما يلي: "
        "1- الموافقة على مشروع قانون المعاملات الالكترونية. 2- تكليف وزارة الاتصالات بإعداد خطة للتحول الرقمي. "
        "3- إحداث لجنة وطنية للأمن السيبراني."
    )
    result = extract(text)
    assert result["kind"] == "decisions"
    assert result["body"] == "مجلس الوزراء"
    assert result["date"] == "2022-03-14"
    assert result["decisions"] == [
        "الموافقة على مشروع قانون المعاملات الالكترونية",
        "تكليف وزارة الاتصالات بإعداد خطة للتحول الرقمي",
        "إحداث لجنة وطنية للأمن السيبراني",
    ]
    assert result["organization"] is None and result["axes"] is None


def test_a_restricted_council_decides_in_prose():
    text = (
        "انعقد يوم الخميس 5 ماي 2022 مجلس وزاري مضيق خصص للتحول الرقمي. "
        "وقرر المجلس تعميم المعرف الوحيد للمواطن على كل الإدارات. "
        "كما قرر المجلس إحداث منصة وطنية للدفع الإلكتروني."
    )
    result = extract(text)
    assert result["kind"] == "decisions"
    assert result["body"] == "مجلس وزاري مضيق"
    assert result["date"] == "2022-05-05"
    assert result["decisions"] == [
        "تعميم المعرف الوحيد للمواطن على كل الإدارات",
        "إحداث منصة وطنية للدفع الإلكتروني",
    ]


def test_a_strategy_with_words_for_numbers_and_a_budget():
    text = (
        "تتضمن الخطة الوطنية للرقمنة 2023-2027 ثلاثة محاور ومائة وثمانية وثلاثين مشروعا، "
        "بكلفة جملية قدرها 2,5 مليار دينار أي ما يعادل 800 مليون دولار."
    )
    result = extract(text, default_country="TN")
    assert result["kind"] == "strategy"
    assert result["name"] == "الخطة الوطنية للرقمنة"
    assert result["period"] == {"start_year": 2023, "end_year": 2027}
    assert len(result["axes"]) == 3
    assert result["total_projects"] == 138
    assert result["budget"] == {
        "amount": 2500000000,
        "currency": "TND",
        "equivalent": {"amount": 800000000, "currency": "USD"},
    }


def test_a_french_text_is_read_by_its_cues():
    text = "Le ministère a pour missions :\n- élaborer la stratégie numérique ;\n- suivre les projets."
    result = extract(text)
    assert result["kind"] == "mandate"
    assert result["missions"] == ["élaborer la stratégie numérique", "suivre les projets"]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_it_rejects_an_empty_text(text):
    with pytest.raises(ValueError, match="empty"):
        extract(text)


def test_missions_enumerated_in_one_sentence_follow_the_organization():
    result = extract("يتولى مكتب الضبط تسجيل المراسلات، وحفظ الأرشيف، ومتابعة البريد.")
    assert result["organization"] == "مكتب الضبط"
    assert result["missions"] == ["تسجيل المراسلات", "حفظ الأرشيف", "متابعة البريد"]


def test_a_council_approves_in_prose_after_saying_when_it_met():
    text = (
        "صادق مجلس الوزراء، خلال اجتماعه المنعقد يوم 12 يناير 2023، على مشروع قانون يتعلق بالتجارة الإلكترونية. "
        "كما وافق على مشروع مرسوم يتعلق بالتوقيع الإلكتروني."
    )
    result = extract(text)
    assert result["date"] == "2023-01-12"
    assert result["decisions"] == [
        "مشروع قانون يتعلق بالتجارة الإلكترونية",
        "مشروع مرسوم يتعلق بالتوقيع الإلكتروني",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "قرر مجلس الوزراء في جلسته التي عقدها اليوم برئاسة رئيس الوزراء الموافقة على الأسباب الموجبة لمشروع قانون"
            " المعاملات الإلكترونية لسنة 2024، كما قرر تكليف وزارة الاقتصاد الرقمي بإعداد خطة تنفيذية.",
            [
                "الموافقة على الأسباب الموجبة لمشروع قانون المعاملات الإلكترونية لسنة 2024",
                "تكليف وزارة الاقتصاد الرقمي بإعداد خطة تنفيذية",
            ],
        ),
        (
            "وافق مجلس الوزراء خلال اجتماعه الأسبوعي اليوم برئاسة رئيس الوزراء على مشروع قرار بشأن تخصيص أراض لإقامة"
            " مركز بيانات. ووافق المجلس على التعاقد مع شركة وطنية لتطوير منظومة الشكاوى.",
            ["مشروع قرار بشأن تخصيص أراض لإقامة مركز بيانات", "التعاقد مع شركة وطنية لتطوير منظومة الشكاوى"],
        ),
        (
            "عقد مجلس الوزراء جلسته برئاسة الملك، وقرر المجلس ما يلي: أولاً: الموافقة على نظام التعاملات الإلكترونية."
            " ثانياً: تفويض وزير الاتصالات بالتباحث مع الجانب الأردني.",
            ["الموافقة على نظام التعاملات الإلكترونية", "تفويض وزير الاتصالات بالتباحث مع الجانب الأردني"],
        ),
        (
            "أكد المسؤول أن المناصب التي تم فقدانها يمكن استرجاعها.",
            [],
        ),
    ],
)
def test_decisions_are_read_from_the_ways_councils_write_them(text, expected):
    assert extract(text)["decisions"] == expected


UAE_STRATEGY = """أطلقت حكومة دولة الإمارات العربية المتحدة الاستراتيجية الوطنية للحكومة الرقمية 2025-2031، بميزانية
إجمالية تبلغ ٤٫٥ مليار درهم، أي ما يعادل 1,22 مليار دولار أمريكي.
وترتكز الاستراتيجية على خمسة محاور رئيسية:
المحور الأول: الخدمات الرقمية المتكاملة، ويضم 24 مشروعا بميزانية 1,2 مليار درهم.
المحور الثاني: البنية التحتية الرقمية، ويضم 15 مشروعا بميزانية 900 مليون درهم.
المحور الثالث: البيانات والذكاء الاصطناعي (11 مشروعا).
المحور الرابع: الأمن السيبراني.
المحور الخامس: المهارات الرقمية.
ويبلغ مجموع المشاريع ستون مشروعا موزعة على ثمانية برامج تنفيذية."""


def test_axes_named_by_ordinal_lines_with_their_figures_and_the_currency_of_the_country_named():
    result = extract(UAE_STRATEGY)
    assert result["name"] == "الاستراتيجية الوطنية للحكومة الرقمية"
    assert [axis["name"] for axis in result["axes"]] == [
        "الخدمات الرقمية المتكاملة",
        "البنية التحتية الرقمية",
        "البيانات والذكاء الاصطناعي",
        "الأمن السيبراني",
        "المهارات الرقمية",
    ]
    assert [axis["projects"] for axis in result["axes"]] == [24, 15, 11, None, None]
    assert result["axes"][1]["budget"] == {"amount": 900_000_000, "currency": "AED"}  # درهم in the Emirates
    assert result["total_projects"] == 60  # the total said in words, not the first axis' count
    assert result["programs"]["count"] == 8
    assert result["budget"] == {
        "amount": 4_500_000_000,
        "currency": "AED",
        "equivalent": {"amount": 1_220_000_000, "currency": "USD"},
    }


def test_a_minister_charged_by_an_executive_decree_is_the_mandated_one():
    result = extract(
        "المادة 2: يكلف وزير الرقمنة والإحصائيات، على الخصوص، بما يأتي:\n"
        "- إعداد الاستراتيجية الوطنية للرقمنة واقتراحها،\n"
        "- السهر على تطوير الإدارة الإلكترونية،\n"
        "- ضمان تطوير المنظومة الوطنية للإحصائيات."
    )
    assert result["kind"] == "mandate"
    assert result["organization"] == "وزير الرقمنة والإحصائيات"
    assert result["missions"][1] == "السهر على تطوير الإدارة الإلكترونية"


def test_an_organization_named_within_another_has_it_as_parent():
    result = extract(
        "تتولى دائرة التحول الرقمي في وزارة الاتصالات المهام الآتية:\n"
        "أولاً: إعداد الخطط والبرامج الخاصة بالتحول الرقمي.\n"
        "ثانياً: متابعة تنفيذ مشاريع الحكومة الإلكترونية بالتنسيق مع الوزارات."
    )
    assert (result["organization"], result["parent_organization"]) == ("دائرة التحول الرقمي", "وزارة الاتصالات")
    assert result["missions"] == [
        "إعداد الخطط والبرامج الخاصة بالتحول الرقمي",
        "متابعة تنفيذ مشاريع الحكومة الإلكترونية بالتنسيق مع الوزارات",
    ]


@pytest.mark.parametrize(
    ("text", "missions"),
    [
        (
            "تتولى هيئة تنظيم الاتصالات تنظيم قطاع الاتصالات وَمراقبة جودة الخدمات وحماية حقوق المستفيدين.",
            ["تنظيم قطاع الاتصالات", "مراقبة جودة الخدمات", "حماية حقوق المستفيدين"],
        ),
        (
            "تختص الوكالة الوطنية للأمن السيبراني بما يلي: وضع السياسات الوطنية للأمن السيبراني، ومتابعة تنفيذها،"
            " والاستجابة للحوادث السيبرانية.",
            ["وضع السياسات الوطنية للأمن السيبراني", "متابعة تنفيذها", "الاستجابة للحوادث السيبرانية"],
        ),
        (
            "تناط بالمديرية العامة للتحديث الإداري مهام إعداد برامج تحديث الإدارة وتنفيذها، وتبسيط الإجراءات الإدارية.",
            ["إعداد برامج تحديث الإدارة وتنفيذها", "تبسيط الإجراءات الإدارية"],
        ),
    ],
)
def test_missions_run_in_one_sentence_are_split_where_each_begins(text, missions):
    assert extract(text)["missions"] == missions


def test_phases_written_in_one_sentence_with_their_years():
    result = extract(
        "تمتد الخطة الوطنية للتحول الرقمي من عام 2023 إلى عام 2030، وتنفذ على ثلاث مراحل: مرحلة التأسيس (2023-2024)،"
        " ومرحلة التوسع من 2025 إلى 2027، ومرحلة الاستدامة بين عامي 2028 و2030. وتشمل الخطة 7 برامج و85 مشروعا"
        " بتكلفة تقديرية قدرها 350 مليون دينار أردني."
    )
    assert result["phases"] == [
        {"name": "مرحلة التأسيس", "start_year": 2023, "end_year": 2024},
        {"name": "مرحلة التوسع", "start_year": 2025, "end_year": 2027},
        {"name": "مرحلة الاستدامة", "start_year": 2028, "end_year": 2030},
    ]
    assert (result["period"], result["total_projects"], result["programs"]["count"]) == (
        {"start_year": 2023, "end_year": 2030},
        85,
        7,
    )
    assert result["budget"] == {"amount": 350_000_000, "currency": "JOD", "equivalent": None}


def test_decisions_announced_without_a_deciding_verb_are_the_items_under_the_announcement():
    result = extract(
        "اجتمع مجلس الوزراء برئاسة رئيس مجلس الوزراء يوم الأربعاء 3 كانون الثاني 2024، واتخذ القرارات التالية:\n"
        "1- الموافقة على مشروع نظام معدل لنظام الخدمة المدنية.\n"
        "2- تكليف وزارة الاقتصاد الرقمي والريادة بإطلاق المنصة الوطنية للخدمات الحكومية.\n"
    )
    assert (result["kind"], result["body"], result["date"]) == ("decisions", "مجلس الوزراء", "2024-01-03")
    assert result["decisions"] == [
        "الموافقة على مشروع نظام معدل لنظام الخدمة المدنية",
        "تكليف وزارة الاقتصاد الرقمي والريادة بإطلاق المنصة الوطنية للخدمات الحكومية",
    ]


def test_patterns_read_on_folded_text_are_written_folded():
    # fold() drops the hamza and writes ة as ه and ى as ي: a pattern spelled otherwise never matches (انشاء did not).
    from masar.intake import decisions, kinds, mandates

    patterns = [
        *(pattern for pattern, _ in kinds._MANDATE + kinds._STRATEGY + kinds._DECISIONS),
        kinds._MEETING_OPENS,
        decisions._DECIDES,
        decisions._BODY,
        decisions._CIRCUMSTANCE,
        decisions._ANNOUNCES,
        decisions._OPENS,
        decisions._DECISIONS_ANNOUNCED,
        decisions._JOINS,
        mandates.CHARGES,
        mandates._PARENT,
        mandates.PREAMBLE,
        mandates._CALLED,
        mandates._CHARGING_OPENING,
        mandates._ANNOUNCED,
        mandates._VERBAL_NOUN,
    ]
    for pattern in patterns:
        assert not set(pattern.pattern) & set("ءأإآةىـ"), pattern.pattern


def test_a_decision_names_who_it_charges_and_its_figures_as_written():
    from masar.intake.decisions import decision_details

    assert decision_details("تكليف وزارة الاقتصاد الرقمي والريادة بإطلاق المنصة الوطنية") == {
        "organization": "وزارة الاقتصاد الرقمي والريادة",
        "figures": [],
    }
    assert decision_details("صرف مبلغ ١٢ مليون دينار لدعم مائة وعشرين مشروعا في البلديات") == {
        "organization": None,
        "figures": ["١٢ مليون دينار", "مائة وعشرين مشروعا"],
    }


def test_pillars_initiatives_hijri_years_and_one_year_phases():
    result = extract(
        "وثيقة برنامج «تمكين الخدمات» ١٤٤٦ – ١٤٥٠هـ (٢٠٢٥ – ٢٠٢٩م)\n"
        "يتكون البرنامج من ثلاث ركائز تضم في مجموعها ٣٠ مبادرة، على النحو الآتي:\n"
        "(١) ركيزة الخدمات: ١٨ مبادرة.\n(٢) ركيزة البيانات: ١٠ مبادرات.\n(٣) ركيزة القدرات: مبادرتان.\n"
        "ثالثاً: مراحل التنفيذ\n"
        "- مرحلة التأسيس (2025 – 2026): المنصات.\n- مرحلة الاستدامة (2029): قياس الأثر.\n"
    )
    assert result["name"] == "برنامج «تمكين الخدمات»"
    assert result["period"] == {"start_year": 2025, "end_year": 2029}  # the Gregorian years, not the Hijri
    assert [axis["projects"] for axis in result["axes"]][:2] == [18, 10]  # initiatives, where no project is counted
    assert result["total_projects"] == 30
    assert [(phase["start_year"], phase["end_year"]) for phase in result["phases"]] == [(2025, 2026), (2029, 2029)]


def test_an_axis_with_its_figures_in_the_paragraph_below_and_a_phase_given_by_months():
    result = extract(
        "تتمحور الأجندة حول محورين، بغلاف مالي إجمالي قدره عشرون مليار أوقية جديدة.\n"
        "المحور الأول: البنية التحتية الرقمية\n"
        "يشمل هذا المحور 21 مشروعا، بميزانية قدرها 12 مليار أوقية جديدة.\n"
        "المحور الثاني: الإدارة الإلكترونية\n"
        "ويضم 24 مشروعا، بميزانية قدرها 8 مليار أوقية جديدة.\n"
        "وتنفذ الأجندة على مراحل:\n"
        "- المرحلة التحضيرية (تشرين الثاني 2022 – حزيران 2023): إنشاء وحدة إدارة البرنامج.\n"
    )
    assert [axis["projects"] for axis in result["axes"]] == [21, 24]
    assert result["axes"][0]["budget"] == {"amount": 12_000_000_000, "currency": "MRU"}
    assert result["budget"]["amount"] == 20_000_000_000  # the total, not the first axis' amount
    assert (result["phases"][0]["start_year"], result["phases"][0]["end_year"]) == (2022, 2023)
