"""The analyzer: the same terms for the forms of a word people type, different terms for different words."""

import pytest

from masar.arabic.analyzer import Thesaurus, index_text, one_edit_apart, parse_query, terms


def same(a, b):
    return terms(a) == terms(b) and terms(a)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("اقتراح", "إقتراح"),  # hamza on alef
        ("الاستراتيجية", "الإستراتيجية"),
        ("رقميه", "رقمية"),  # ta marbuta typed as ha
        ("مستوي", "مستوى"),  # alef maqsura typed as ya
        ("مـشـروع", "مشروع"),  # tatweel
        ("مَشْرُوع", "مشروع"),  # diacritics
        ("الرّقمي", "الرقمي"),  # shadda
        ("٢٠٢١", "2021"),  # Eastern digits
        ("والمشاريع", "مشاريع"),  # conjunction and article
        ("بالمشروع", "مشروع"),
        ("للتنمية", "التنمية"),
        ("مشاريع", "مشروع"),  # broken plurals
        ("مراسيم", "مرسوم"),
        ("برامج", "برنامج"),
        ("وزارات", "وزارة"),  # sound plurals
        ("الخدمات", "خدمة"),
        ("وزارتها", "وزارة"),  # a pronoun after ta marbuta written ت
        ("مشروعاً", "مشروع"),  # accusative ending
    ],
)
def test_forms_of_a_word_give_the_same_term(typed, written):
    assert same(typed, written), (terms(typed), terms(written))


@pytest.mark.parametrize(("one", "other"), [("وزارة", "زيارة"), ("مشروع", "مشروط"), ("برنامج", "بريد")])
def test_different_words_keep_different_terms(one, other):
    assert terms(one) != terms(other)


def test_a_leading_letter_of_the_word_itself_is_not_taken_for_a_conjunction():
    # و of وزارة, ب of برنامج, ل of لجنة belong to the word: the known word is kept whole.
    assert terms("وزارة") == ["وزار"]
    assert terms("برنامج") == ["برنامج"]
    assert terms("لجنة") == ["لجن"]


def test_an_unknown_word_with_a_leading_conjunction_is_indexed_both_ways():
    # بتاريخ: the main term keeps its order for phrases; the guess without ب comes after.
    assert index_text("اعتمد بتاريخ اليوم").split()[:2] == ["اعتمد", "بتاريخ"]
    assert "تاريخ" in terms("بتاريخ")


def test_stop_words_give_no_term():
    assert terms("في من إلى على التي وفي") == []


def test_french_and_english_words_are_stemmed_without_accents():
    assert terms("numérique", "fr") == terms("numerique", "fr")
    assert terms("projects", "en") == terms("project", "en")


def test_query_words_widen_to_their_thesaurus_group():
    query = parse_query("تحيين", Thesaurus([["تحيين", "تحديث"]]))
    assert {alt[0] for alt in query.parts[0].alternatives} == {"تحيين", "تحديث"}


def test_a_thesaurus_phrase_keeps_the_own_words_anywhere_and_synonyms_as_phrases():
    query = parse_query("رئيس الحكومة", Thesaurus([["رئيس الحكومة", "الوزير الأول"]]))
    part = query.parts[0]
    assert part.all_of == (("رييس",), ("حكوم",))
    assert ("وزير", "اول") in part.alternatives


def test_search_syntax_characters_are_punctuation():
    query = parse_query('"مشروع" AND * NEAR : & | !', None)
    assert [p.text for p in query.parts] == ["مشروع", "near"]  # "and" is an English stop word


def test_a_query_of_only_marks_or_punctuation_asks_nothing():
    assert not parse_query("ـــ ً ٌ ؟!", None)
    assert not parse_query("", None)


def test_a_very_long_query_reads_its_first_words_only():
    query = parse_query("مشروع " * 5000, None)
    assert len(query.parts) == 12


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("الاستراتيجية", "الاستراتجية", True),  # a dropped letter
        ("الصحافة", "الصححافة", True),  # a doubled letter
        ("المعلومات", "المعلومتا", True),  # two letters swapped
        ("المواطنين", "المواطنبن", True),  # a wrong letter
        ("المواطنين", "المواطن", False),
    ],
)
def test_one_edit_apart(a, b, near):
    assert one_edit_apart(a, b) is near
