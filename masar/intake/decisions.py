"""Decisions of a council: which body met, when, and what it decided, in the order written."""

import re

from masar.arabic import find_dates, fold
from masar.arabic.dates import Precision
from masar.intake.lines import blocks, sentences, split_lines
from masar.intake.names import find_name, read_name

_BODY_HEADS = frozenset(fold(word) for word in "مجلس لجنه هيئه conseil commission comite".split())
_OTHER_BODIES = frozenset("رياسه حكومه وزاره ديوان".split())
_DECIDES = re.compile(
    r"(?<![^\W\d_])(?:[وف]|كما\s+)?(?:قرر|قررت|تقرر|اقر|اقرت|صادق|صادقت|وافق|وافقت|اعتمد|اعتمدت|تبني|تبنت|تم\s+اقرار"
    r"|تمت\s+المصادقه|تمت\s+الموافقه|d[eé]cid[eé]|approuv[eé]|adopt[eé])(?![^\W\d_])"
)
# What follows the verb before the decision itself: the body, "ما يلي", "ما يأتي", a colon.
_SUBJECT = re.compile(
    r"^\s*(?:(?:ال)?مجلس(?:\s+ال?وزرا|\s+ال?وزاري(?:\s+ال?مضيق)?|\s+ال?حكومه)?|ال?حكومه|ال?لجنه|le\s+conseil)?"
    r"\s*[،,]?\s*(?:(?:في|خلال)\s+[^:]{0,80}?(?:[،,]\s*|\s+(?=ما\s+يلي)))?(?:ما\s+يلي|ما\s+ياتي|الاتي|التالي|ce\s+qui\s+suit)?\s*[:،,]?\s*(?:علي\s+)?"
)
# Where the meeting date is usually written.
_MEETING = re.compile(r"(?:بتاريخ|المنعقد|المنعقده|جلسه|جلسته|جلستها|اجتماع|يوم|اليوم|réuni|séance|le\s+)")


def body_of(text: str) -> str | None:
    """Return the council or committee that issued text (مجلس الوزراء, مجلس وزاري مضيق), or None."""
    found = find_name(text, _BODY_HEADS)
    if found:
        return found[0]
    match = re.search(r"(?<![^\W\d_])بلاغ\s+(?:ل|عن\s+)", fold(text))
    if match:
        words = text.split()
        index = len(fold(text)[: match.start()].split()) + 1
        if index < len(words):
            folded = fold(words[index])
            if folded.startswith("ل") and folded[1:].split("ال")[0] in _OTHER_BODIES | {""}:
                return read_name(words, index, strip=1)
    return None


def date_of(text: str) -> str | None:
    """Return the meeting date (YYYY-MM-DD): the dated day nearest after a meeting word, else the first."""
    dated = [date for date in find_dates(text) if date.precision is Precision.DAY and date.date is not None]
    if not dated:
        return None
    folded = fold(text)
    for date in dated:
        before = folded[max(0, date.start - 60) : date.start]
        if _MEETING.search(before):
            return str(date.date)
    return str(dated[0].date)


def _listed(text: str) -> list[str]:
    """Return the items listed under a line that says something was decided."""
    items: list[str] = []
    for block in blocks(split_lines(text)):
        if block.lead is not None and _DECIDES.search(block.lead.folded):
            items.extend(block.items)
    return items


def _clause(sentence: str) -> str | None:
    """Return what a sentence says was decided: the words after the verb and its subject."""
    folded = fold(sentence)
    match = _DECIDES.search(folded)
    if match is None:
        return None
    rest = folded[match.end() :]
    subject = _SUBJECT.match(rest)
    skipped = match.end() + (subject.end() if subject else 0)
    # Map the folded offset back by words: folding keeps word boundaries.
    words_before = len(folded[:skipped].split()) if folded[:skipped].endswith(" ") else None
    words = sentence.split()
    if words_before is None:
        words_before = len(folded[:skipped].split())
        words_before = max(words_before - 1, 0) if not folded[:skipped].endswith((" ", ":", "،", ",")) else words_before
    clause = " ".join(words[words_before:]).strip(" .؛;،,:")
    return clause if len(clause.split()) >= 2 else None


def extract_decisions(text: str) -> dict[str, object]:
    """Return the issuing body, the meeting date and the decisions, in the order written."""
    decisions = _listed(text)
    if not decisions:
        for sentence in sentences(text):
            clause = _clause(sentence)
            if clause:
                decisions.append(clause)
    return {"body": body_of(text), "date": date_of(text), "decisions": decisions}
