"""Provenance: every item the extractor reads from a seed is found where it was written, whatever its spelling."""

from pathlib import Path

import pytest

from masar.arabic import fold
from masar.intake import extract
from masar.intake.provenance import locate

SEEDS = sorted((Path(__file__).parent.parent / "fixtures" / "intake").glob("seed_00*.txt"))


def _string_items(draft):
    """Yield (path, string) for every string item of an extract() result."""
    for key in ("organization", "parent_organization", "name", "body"):
        if isinstance(draft[key], str):
            yield key, draft[key]
    for key in ("missions", "decisions"):
        for index, item in enumerate(draft[key] or []):
            yield f"{key}.{index}", item
    for key in ("axes", "phases"):
        for index, item in enumerate(draft[key] or []):
            yield f"{key}.{index}", item["name"]
    for index, item in enumerate((draft["programs"] or {}).get("items") or []):
        yield f"programs.items.{index}", item["name"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_every_string_item_of_a_seed_is_located_and_its_span_folds_to_it(seed):
    text = seed.read_text()
    draft = extract(text)
    where = locate(text, draft)
    items = list(_string_items(draft))
    assert items  # positive control: every seed yields something to locate
    for path, item in items:
        assert path in where, path
        start, end = where[path]
        assert fold(text[start:end]) == fold(item), path


def test_the_programs_figures_are_the_numbers_beside_their_axes():
    text = (SEEDS[3]).read_text()
    where = locate(text, extract(text))
    figures = [text[slice(*where[f"axes.{index}.projects"])] for index in range(4)]
    assert figures == ["99", "18", "12", "9"]
    assert text[slice(*where["total_projects"])] == "138"
    assert text[slice(*where["period"])] == "2025-2026"
    # Each axis's figure is written after its name, before the next axis.
    assert all(where[f"axes.{i}"][1] < where[f"axes.{i}.projects"][0] < where[f"axes.{i + 1}"][0] for i in range(3))


def test_tatweel_diacritics_and_hamza_do_not_break_the_location():
    text = "قرر المجلس ما يلي:\n- إنشـــاء مِنصّة وطنيّة للبيانات\n- دعم الأمن"
    draft = {"body": "المجلس", "decisions": ["انشاء منصة وطنية للبيانات", "دعم الأمن"]}
    where = locate(text, draft)
    assert text[slice(*where["decisions.0"])] == "إنشـــاء مِنصّة وطنيّة للبيانات"
    assert text[slice(*where["decisions.1"])] == "دعم الأمن"
    assert text[slice(*where["body"])] == "المجلس"


def test_listed_items_are_located_in_order_when_a_text_repeats_one():
    text = "المهام: - دعم الأمن. ثم - تطوير الشبكات - دعم الأمن"
    where = locate(text, {"missions": ["تطوير الشبكات", "دعم الأمن"]})
    assert where["missions.1"][0] > where["missions.0"][0]  # the second "دعم الأمن", after the first mission


def test_an_item_not_in_the_text_has_no_span():
    assert locate("نص قصير", {"organization": "وزارة الصحة", "missions": ["شيء آخر"]}) == {}


def test_the_meeting_date_is_located_where_written():
    text = "اجتمع مجلس الوزراء يوم ٣١/٨/٢٠٢١ وقرر ما يلي"
    where = locate(text, {"body": "مجلس الوزراء", "date": "2021-08-31"})
    assert text[slice(*where["date"])].endswith("٢٠٢١")
