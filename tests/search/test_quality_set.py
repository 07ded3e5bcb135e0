"""The hand-made evaluation set of Arabic search (tests/search/quality) is well formed.

The passages are copied from the five Arabic seed documents; the check that each one is verbatim in its seed
reads /work/shared/seeds and is skipped where that folder does not exist (the project never reads it otherwise).
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.search_quality import fts5_expression, run_fts5, score

QUALITY = Path(__file__).resolve().parent / "quality"
# The five source documents as the repository keeps them (the demo loads them into the document library).
SEEDS = Path(__file__).resolve().parents[2] / "masar" / "demo" / "data" / "texts"
SEED_NAMES = {"000", "001", "002", "003", "004"}
KINDS = {
    "hamza",
    "taa_marbuta",
    "alef_maqsura",
    "tatweel",
    "diacritics",
    "digits",
    "proclitic",
    "sound_plural",
    "broken_plural",
    "phrase",
    "exact_phrase",
    "regional",
    "month",
    "foreign",
    "typo",
    "no_answer",
}


def load(name):
    return json.loads((QUALITY / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def passages():
    return load("passages")


@pytest.fixture(scope="module")
def queries():
    return load("queries")


def test_passage_ids_are_unique_and_name_their_seed(passages):
    ids = [p["id"] for p in passages]
    assert len(ids) == len(set(ids))
    for passage in passages:
        assert set(passage) == {"id", "seed", "text"}
        assert re.fullmatch(r"s(\d{3})-\d{2}", passage["id"]).group(1) == passage["seed"]
        assert passage["text"] == passage["text"].strip() and passage["text"]


def test_passages_cover_the_five_seeds(passages):
    per_seed = Counter(p["seed"] for p in passages)
    assert set(per_seed) == SEED_NAMES
    assert all(count >= 10 for count in per_seed.values()), per_seed
    assert 80 <= len(passages) <= 160


def test_query_ids_are_unique_and_every_relevant_passage_exists(passages, queries):
    passage_ids = {p["id"] for p in passages}
    ids = [q["id"] for q in queries]
    assert len(ids) == len(set(ids))
    for query in queries:
        assert set(query) == {"id", "query", "kind", "relevant", "relevant_strict", "note"}
        assert query["query"].strip() and query["note"].strip()
        for judgment in ("relevant", "relevant_strict"):
            assert len(query[judgment]) == len(set(query[judgment])), (query["id"], judgment)
            assert set(query[judgment]) <= passage_ids, (query["id"], judgment)
    assert "s999-99" not in passage_ids  # positive control: an unknown id would be caught


def test_the_strict_judgment_is_part_of_the_broad_one(queries):
    """`relevant_strict` keeps the passages whose own words say what the query means; `relevant` also those
    that need their document or outside knowledge, so the strict judgment never holds a passage the broad one lacks."""
    for query in queries:
        assert set(query["relevant_strict"]) <= set(query["relevant"]), query["id"]
    # The two judgments do differ somewhere, and the differences are explained in the note.
    narrower = [q for q in queries if set(q["relevant_strict"]) < set(q["relevant"])]
    assert narrower
    assert all("strict:" in q["note"] for q in narrower), [q["id"] for q in narrower if "strict:" not in q["note"]]


def test_there_are_enough_queries_of_every_kind(queries):
    assert len(queries) >= 60
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) == KINDS
    assert all(kinds[kind] >= 2 for kind in KINDS), kinds
    assert kinds["no_answer"] >= 5


def test_only_no_answer_queries_have_no_relevant_passage(queries):
    for query in queries:
        assert (query["kind"] == "no_answer") == (not query["relevant"]), query["id"]
        assert (query["kind"] == "no_answer") == (not query["relevant_strict"]), query["id"]


def test_queries_are_short_like_a_search_box(queries):
    short = [q for q in queries if len(q["query"].split()) <= 3]
    assert len(short) >= 0.9 * len(queries)


def seed_text(seed):
    return (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")


def test_every_passage_is_verbatim_in_its_seed(passages):
    texts = {seed: seed_text(seed) for seed in SEED_NAMES}
    for passage in passages:
        assert passage["text"] in texts[passage["seed"]], passage["id"]
    # Positive control: one letter changed (the engine must cope with such typos, the copy must not have them).
    altered = passages[0]["text"].replace("ا", "أ", 1)
    assert altered != passages[0]["text"] and altered not in texts[passages[0]["seed"]]


def test_the_fts5_baseline_quotes_every_word():
    assert fts5_expression('وزارة "الاتصال') == '"وزارة" AND """الاتصال"'
    assert fts5_expression("   ") == ""


def test_the_scores_count_hits_misses_and_false_positives():
    queries = [
        {"id": "q1", "query": "a", "kind": "hamza", "relevant": ["p1", "p2", "p5"], "relevant_strict": ["p1", "p2"]},
        {"id": "q2", "query": "b", "kind": "no_answer", "relevant": [], "relevant_strict": []},
    ]
    figures, kinds = score(queries, {"q1": ["p1", "p3"], "q2": ["p4"]})
    figures = dict(figures)
    assert figures["recall"] == "0.500"  # 1 of 2 relevant found
    assert figures["precision"] == "0.333"  # 1 of 3 found is relevant
    assert figures["no_answer_clean"] == "0/1"
    assert kinds == [("hamza", 1, 2, 1), ("no_answer", 0, 0, 1)]
    in_context = dict(score(queries, {"q1": ["p1", "p3"], "q2": ["p4"]}, "relevant")[0])
    assert in_context["recall"] == "0.333"  # 1 of 3 relevant in context


def test_the_fts5_baseline_finds_an_exact_word(passages, queries):
    wanted = next(q for q in queries if q["query"] == "الأخبار الزائفة")
    found = run_fts5(passages, [wanted])[wanted["id"]]
    assert set(found) == set(wanted["relevant"])
