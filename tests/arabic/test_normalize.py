from masar.arabic import fold, normalize_digits, parse_month, strip_marks


def test_it_folds_tatweel_and_diacritics_to_the_bare_word():
    assert fold("الإستراتيجيـــة") == fold("الاستراتيجية")
    assert fold("مُتَابَعَة") == fold("متابعة")
    assert strip_marks("تـنفـيذها") == "تنفيذها"


def test_it_folds_hamza_forms_ta_marbuta_and_alef_maqsura():
    assert fold("إدارة") == fold("ادارة") == fold("أدارة") == fold("اداره")
    assert fold("مستوى") == fold("مستوي")
    assert fold("مسؤول") == fold("مسوول")


def test_it_reads_eastern_and_persian_digits_as_ascii():
    assert normalize_digits("٢٠٢٥-٠٣-١٤") == "2025-03-14"
    assert normalize_digits("۱۲۳") == "123"
    assert fold("مشروع ١٣٨") == "مشروع 138"


def test_it_folds_latin_case():
    assert fold("Programme TN") == fold("programme tn")


def test_it_reads_maghreb_levant_and_mashriq_month_names():
    assert parse_month("14 جانفي 2025") == 1
    assert parse_month("يناير") == 1
    assert parse_month("كانون الثاني 2025") == 1
    assert parse_month("كانون الأول") == 12
    assert parse_month("تشرين الثاني") == 11
    assert parse_month("غشت") == 8
    assert parse_month("أوت") == 8
    assert parse_month("آب") == 8
    assert parse_month("يوليوز") == 7
    assert parse_month("دجنبر") == 12
    assert parse_month("lundi") is None
