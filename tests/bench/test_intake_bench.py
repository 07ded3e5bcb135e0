"""The intake benchmark's scoring: when two items match, how exact fields count nulls, and that `python -m
bench.intake` prints every figure it promises on the annotated texts. The extractor's scores are never asserted."""

import json

import pytest

from bench.intake import FIXTURES, held_out_set, held_out_sets, load_set, main, run
from bench.intake_score import EXACT, ItemScore, Scores, exact, match_items, overlap, words

TEN = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة"


def test_words_fold_spelling_and_drop_punctuation():
    assert words("إعداد الاستراتيجيّة، والسهـر على تنفيذها؛") == ["اعداد", "الاستراتيجيه", "والسهر", "علي", "تنفيذها"]
    assert words("Le Centre (national) de l'informatique.") == ["le", "centre", "national", "de", "l", "informatique"]
    assert words(None) == []


def test_overlap_is_shared_words_over_the_longer_item():
    assert overlap(TEN, TEN) == 1.0
    assert overlap(TEN, " ".join(TEN.split()[:8])) == 0.8
    assert overlap("أ ب", TEN) == 0.0
    assert overlap("", TEN) == 0.0


def test_an_item_at_0_8_matches_and_one_at_0_79_does_not():
    hundred = [f"كلمة{i}" for i in range(100)]
    annotated = " ".join(hundred)
    at_80 = " ".join(hundred[:80])
    at_79 = " ".join(hundred[:79])
    assert overlap(annotated, at_79) == pytest.approx(0.79)
    assert match_items([annotated], [at_80]) == [(0, 0, 0.8)]
    assert match_items([annotated], [at_79]) == []


def test_matching_is_one_to_one_and_takes_the_best_overlap_first():
    first = "اقتراح السياسة العامة للتحول الرقمي في الجهات العامة"
    second = "إعداد قاعدة بيانات وطنية موحدة للجهات العامة"
    # The same extracted item twice matches one annotated item once; the closer copy wins.
    got = [first + " كذلك", first]
    assert match_items([first], got) == [(0, 1, 1.0)]
    assert match_items([first, second], [second, first]) == [(0, 1, 1.0), (1, 0, 1.0)]


def test_item_scores_are_micro_averaged_over_documents():
    score = ItemScore()
    score.add(["أ ب ج", "د ه و"], ["أ ب ج"])
    score.add(["ز ح ط"], ["ز ح ط", "ي ك ل"])
    assert (score.matched, score.expected, score.extracted) == (2, 3, 3)
    assert score.precision == score.recall == score.f1 == pytest.approx(2 / 3)
    assert ItemScore().f1 is None


def test_exact_counts_a_field_only_where_one_side_has_a_value():
    assert exact(None, None) is None
    assert exact("مجلس الوزراء", None) is False
    assert exact(None, "2023-10-03") is False
    assert exact(138, 138) is True


def test_fields_are_read_the_same_way_from_annotation_and_extraction():
    annotation = {
        "kind": "strategy",
        "name": "الاستراتيجية الوطنية للحكومة الرقمية",
        "axes": [{"name": "أ", "projects": 34, "budget": {"amount": 1_100_000_000, "currency": "AED"}}],
        "phases": [{"name": "المرحلة الأولى", "start_year": 2023, "end_year": 2024}],
        "budget": {"amount": 2_500_000_000, "currency": "AED", "equivalent": None},
    }
    extraction = {
        "kind": "strategy",
        "name": "«الاستراتيجيّة الوطنيّة للحكومة الرقمية ٢٠٢٣–٢٠٢٧»",  # spelling and years aside, the same name
        "axes": [{"name": "ب", "projects": 34, "budget": {"amount": 1.1e9, "currency": "AED"}}],
        "phases": [{"name": "المرحلة 1", "start_year": 2023, "end_year": 2025}],
        "budget": {"amount": 2.5e9, "currency": None, "equivalent": {"amount": 6.8e8, "currency": "USD"}},
    }
    scores = Scores()
    scores.add("uae", annotation, extraction)
    verdicts = {key: (score.compared, score.equal) for key, score in scores.fields.items() if score.compared}
    assert verdicts == {
        "kind": (1, 1),
        "name": (1, 1),
        "axes_count": (1, 1),
        "axis_projects": (1, 1),
        "axis_budgets": (1, 1),
        "phases": (1, 0),
        "budget": (1, 0),
        "budget_equivalent": (1, 0),
    }
    assert [(miss.field, miss.expected, miss.got) for miss in scores.misses] == [
        ("phases", ((2023, 2024),), ((2023, 2025),)),
        ("budget", (2_500_000_000, "AED"), (2_500_000_000, None)),
        ("budget_equivalent", None, (680_000_000, "USD")),
    ]


def test_a_missed_and_an_extra_item_are_reported_with_the_closest_candidate():
    scores = Scores()
    scores.add(
        "doc",
        {"kind": "decisions", "decisions": ["الموافقة على مشروع مرسوم", "تأجيل البحث في البند"]},
        {"kind": "decisions", "decisions": ["الموافقة على مشروع مرسوم", "سفر وفد"]},
    )
    assert scores.lists["decisions"].matched == 1
    reported = [(miss.field, miss.expected, miss.got) for miss in scores.misses]
    assert reported == [
        ("decisions_missed", "تأجيل البحث في البند", "الموافقة على مشروع مرسوم"),
        ("decisions_extra", None, "سفر وفد"),
    ]


def test_every_fixture_is_annotated_in_the_contract_shape():
    documents = load_set()
    assert len(documents) >= 17
    for part in ("heldout", "heldout2"):
        assert len([name for name, _, _ in documents if held_out_set(name) == part]) >= 12, part
    keys = {"kind", "organization", "parent_organization", "missions", "name", "period", "axes", "programs"}
    keys |= {"phases", "total_projects", "budget", "body", "date", "decisions"}
    for name, text, annotation in documents:
        assert set(annotation) == keys, name
        assert annotation["kind"] in ("mandate", "strategy", "decisions"), name
        for item in (annotation["missions"] or []) + (annotation["decisions"] or []):
            assert item and item in text, (name, item)


def promised_figures() -> list[str]:
    """Return the keys the benchmark promises for one set of texts, in the order it prints them."""
    promised = ["documents", "errors"]
    for key in ("mission", "decision"):
        promised += [f"{key}_f1", f"{key}_precision", f"{key}_recall"]
        promised += [f"{key}s_annotated", f"{key}s_extracted", f"{key}s_matched"]
    for key in EXACT:
        promised += [f"{key}_exact", f"{key}_compared"]
    return promised + ["time_max_ms", "time_mean_ms"]


def test_the_benchmark_prints_every_figure_on_the_annotated_texts_then_on_each_held_out_set(capsys):
    main(["--verbose"])
    lines = capsys.readouterr().out.splitlines()
    figures = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("miss "))
    parts = held_out_sets()
    assert parts[:2] == ["heldout", "heldout2"] and parts == sorted(parts)
    promised = promised_figures()
    # The overall figures, then each held-out set's in the same order, sets in name order: every line is one of them.
    expected_keys = promised + [f"{part}_{key}" for part in parts for key in promised]
    assert [line.split("=", 1)[0] for line in lines if not line.startswith("miss ")] == expected_keys
    every = sorted(FIXTURES.rglob("*.json"))
    sets = [("", every)] + [(f"{part}_", sorted((FIXTURES / part).rglob("*.json"))) for part in parts]
    for prefix, paths in sets:
        assert paths and (not prefix or len(paths) < len(every)), prefix
        assert figures[f"{prefix}documents"] == str(len(paths))
        annotations = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
        assert figures[f"{prefix}missions_annotated"] == str(sum(len(item["missions"] or []) for item in annotations))
        assert figures[f"{prefix}decisions_annotated"] == str(sum(len(item["decisions"] or []) for item in annotations))
        assert figures[f"{prefix}kind_compared"] == figures[f"{prefix}documents"]
    assert sum(int(figures[f"{part}_documents"]) for part in parts) < int(figures["documents"])
    for line in lines:
        if line.startswith("miss "):
            assert " doc=" in line and " field=" in line and " expected=" in line and " got=" in line


def test_each_subfolder_with_annotated_texts_is_a_held_out_set_printed_in_name_order(tmp_path, capsys):
    annotation = {"kind": "decisions", "body": "مجلس الوزراء", "decisions": ["الموافقة على مشروع القانون"]}
    text = "عقد مجلس الوزراء جلسته وقرر الموافقة على مشروع القانون."
    for where in ("own", "zeta/one", "alpha/one", "alpha/two"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f"{where}.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"{where}.json").write_text(json.dumps(annotation, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert held_out_sets(tmp_path) == ["alpha", "zeta"]
    assert [held_out_set(name) for name, _, _ in load_set(tmp_path)] == [None, "alpha", "alpha", "zeta"]
    run(folder=tmp_path)
    lines = capsys.readouterr().out.splitlines()
    documents = [line for line in lines if line.split("=", 1)[0].endswith("documents")]
    assert documents == ["documents=4", "alpha_documents=2", "zeta_documents=1"]
