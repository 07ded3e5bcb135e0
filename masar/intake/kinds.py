"""Which kind of text this is: a mandate, a strategy or a list of decisions, by the cues it contains."""

import enum
import re

from masar.arabic import find_numbers, find_year_ranges, fold
from masar.intake.mandates import CHARGES, PREAMBLE, listed_missions, prose_missions


class Kind(enum.StrEnum):
    MANDATE = "mandate"
    STRATEGY = "strategy"
    DECISIONS = "decisions"


def _cues(*patterns: tuple[str, int]) -> list[tuple[re.Pattern[str], int]]:
    # Cues match whole words of the folded text, with the proclitics و ف ب ل ك in front.
    return [
        (re.compile(rf"(?<![^\W\d_])(?:[وفبلك]{{0,2}})(?:{pattern})(?![^\W\d_])"), weight)
        for pattern, weight in patterns
    ]


_MANDATE = _cues(
    ("يتولي|تتولي|تضطلع|يضطلع|تناط|يناط|يعهد|تعهد|تختص|يختص|تكلف|يكلف|تسهر|يسهر", 3),
    ("المهام|مهام|مهمه|بالمهام|اختصاصات|صلاحيات|مشمولات|المنوطه|المسنده|المخوله", 2),
    ("missions?|attributions|est\\s+charg[eé]e?|a\\s+pour\\s+mission", 3),
)
_STRATEGY = _cues(
    ("الاستراتيجيه|استراتيجيه|الخطه|خطه|المخطط|مخطط|رويه|الرويه", 2),
    ("محاور|محورا|المحاور|المحور|مراحل|المرحله|مرحله|برامج|البرامج|برنامجا", 2),
    ("strat[eé]gie|axes?|programmes?|phases?|vision", 2),
)
_DECISIONS = _cues(
    ("قرر|قررت|تقرر|اقر|اقرت|صادق|صادقت|وافق|وافقت|بلاغ|البلاغ|محضر", 3),
    ("مجلس\\s+وزاري|المجلس\\s+الوزاري|مجلس\\s+الوزرا|مجلس\\s+الحكومه|اجتماع|(?:ال)?جلسه|جلسته|جلستها|المنعقده", 2),
    (
        "d[eé]cid[eé]e?s?|d[eé]cident|approuv[eé]e?s?|adopt[eé]e?s?|communiqu[eé]|conseil\\s+des\\s+ministres|conseil\\s+minist[eé]riel",
        3,
    ),
)
# Figures a plan is made of: projects, axes, programs, phases counted.
_PLAN_NOUNS = re.compile(
    r"^(?:[وبل]?ال)?(?:مشروع|مشاريع|محاور|محور|ركايز|ركيزه|برامج|برنامج|مراحل|مرحله|مبادرات|مبادره|اهداف|هدف)"
)


# A communiqué reporting a meeting opens with it: "عقد مجلس الوزراء جلسته", "اجتمع المجلس", "عُقد مجلس وزاري برئاسة".
_MEETING_OPENS = re.compile(
    r"(?<![^\W\d_])[و]?(?:عقد|عقدت|انعقد|انعقدت|اجتمع|اجتمعت|التام|التامت|تراس|تراست|راس|راست)(?![^\W\d_])"
    r"[^.\n]{0,60}?(?<![^\W\d_])(?:ال)?(?:مجلس|لجنه|اجتماع|اجتماعا|جلسه|conseil|comit[eé])(?![^\W\d_])"
    r"|(?:s'est\s+r[eé]uni|a\s+tenu|s'est\s+tenu)"
)
_OPENING = 400


def _score(folded: str, cues: list[tuple[re.Pattern[str], int]]) -> int:
    return sum(weight * min(len(pattern.findall(folded)), 6) for pattern, weight in cues)


# An article heading of a legal text: "المادة 2", "مادة (1)", "المادة الأولى", "Article 2".
_ARTICLE = re.compile(
    r"(?:^|\n)\s*(?:ال)?ماده\s*[-(]?\s*(?:[0-9]|[^\W\d_]+)|(?:^|\n)\s*art(?:icle|\.)\s*\d", re.IGNORECASE
)


def _mandate_score(text: str, folded: str) -> int:
    """Score a mandate: its charging words, and the missions listed or run in a sentence after them.

    The articles of a legal text add to it only when something in it charges someone with missions.
    """
    # A regulation attached to a council's approval charges with its own words ("وله القيام بما يأتي").
    cues = _score(folded, _MANDATE) or 3 * min(len(CHARGES.findall(folded)), 3)
    if not cues:
        return 0
    missions = listed_missions(text) or prose_missions(text)
    return cues + 2 * min(len(missions), 10) + 2 * min(len(_ARTICLE.findall(folded)), 5)


def scores(text: str) -> dict[Kind, int]:
    """Return how strongly the text reads as each kind."""
    folded = fold(text)
    # A decree's grounds ("وعلى ما أقره مجلس الوزراء في جلسته المنعقدة …") cite a council; they do not report it.
    stated = " ".join(line for line in map(fold, text.splitlines()) if not PREAMBLE.search(line))
    figures = sum(1 for number in find_numbers(text) if number.noun and _PLAN_NOUNS.match(number.noun))
    return {
        Kind.MANDATE: _mandate_score(text, folded),
        Kind.STRATEGY: _score(folded, _STRATEGY) + 3 * min(figures, 8) + 2 * min(len(find_year_ranges(text)), 4),
        Kind.DECISIONS: _score(stated, _DECISIONS) + (30 if _MEETING_OPENS.search(stated[:_OPENING]) else 0),
    }


def kind_of(text: str) -> Kind:
    """Return the kind with the strongest cues; a text without any is read as decisions (a communiqué)."""
    found = scores(text)
    order = [Kind.DECISIONS, Kind.MANDATE, Kind.STRATEGY]
    return max(order, key=lambda kind: (found[kind], -order.index(kind)))
