"""Decisions of a council: which body met, when, and what it decided, in the order written."""

import re

from masar.arabic import find_amounts, find_dates, find_numbers, fold
from masar.arabic.dates import Precision
from masar.arabic.spans import fold_with_origin
from masar.intake.lines import Line, blocks, clean_item, sentences, split_lines
from masar.intake.names import ORGANIZATION_HEADS, find_name, read_name

_BODY_HEADS = frozenset(fold(word) for word in "مجلس لجنه هيئه conseil commission comite".split())
# Who a decision charges: a ministry, an agency, a minister — not the council deciding.
_RESPONSIBLE_HEADS = ORGANIZATION_HEADS - frozenset({"مجلس", "conseil"})
_OTHER_BODIES = frozenset("رياسه حكومه وزاره ديوان".split())
# Words that open a decision: the verbal nouns councils decide in.
_OPENING_NOUNS = (
    "موافقه|مصادقه|اقرار|اعتماد|تكليف|تعيين|منح|احاله|تشكيل|انشا|احداث|تمديد|الغا|تخصيص|اعفا|ابرام|توقيع|تصديق"
    "|تعميم|اطلاق|دمج|تطوير|ادراج|رفع|خفض|تعديل|صرف|توجيه|استكمال|تنفيذ|تفويض|تبني|اعداد"
)
_OPENS = re.compile(rf"(?<![^\W\d_])(?:ال)?(?:{_OPENING_NOUNS})(?![^\W\d_])")
_VERBS = (
    "قرر|قررت|تقرر|اقر|اقرت|صادق|صادقت|وافق|وافقت|اعتمد|اعتمدت|تبني|تبنت|اجاز|اجازت|d[eé]cid[eé]|d[eé]cide"
    "|approuv[eé]|adopt[eé]"
)
# A passive or future verb followed by what was decided, kept in the decision: "تم اعتماد الخطة", "سيتم إطلاق".
_AUXILIARIES = rf"(?:تم|تمت)(?=\s+(?:ال)?(?:{_OPENING_NOUNS})(?![^\W\d_]))|سيتم|ستتم|سوف\s+يتم|يعتزم|تعتزم"
# The council stressing that something must be done, or announcing that it is: a directive of its own.
_URGES = (
    r"(?:اكد|اكدت|شدد|شددت|دعا|دعت)\s+(?:ال)?(?:مجلس|لجنه|حكومه)(?:\s+(?:ال)?[^\W\d_]+)?\s+علي\s+(?:اهميه|ضروره)"
    rf"|(?:معلنه|معلنا|اعلن|اعلنت)\s+عن(?=\s+(?:ال)?(?:{_OPENING_NOUNS})(?![^\W\d_]))"
    r"|(?:وجه|وجهت|اسدي|اسدت)(?=[^.:]{0,60}?(?:بما\s+يلي|ما\s+يلي|تعليمات|توجيهات))"
    r"|ب(?:ال)?(?:مصادقه|موافقه)\s+علي"
)
_DECIDES = re.compile(
    rf"(?<![^\W\d_])(?:[وف]|كما\s+|و?كذلك\s+)?(?:(?P<verb>{_VERBS})(?P<pronoun>ه|ها|هم)?"
    rf"|(?P<aux>{_AUXILIARIES})|(?P<urge>{_URGES}))(?![^\W\d_])"
)
# What follows the verb before the decision itself: the body, where and when it met, "ما يلي", a colon.
_BODY = re.compile(
    r"\s*(?:(?:ال)?مجلس(?:\s+(?:ال)?(?:وزرا|وزاري|حكومه|نواب|شوري|امه|اعلي))?(?:\s+(?:ال)?(?:وزاري|مضيق|موقر))?"
    r"|(?:ال)?حكومه|(?:ال)?لجنه(?:\s+(?:ال)?\w+)?|(?:ال)?وزاره|(?:ال)?وزير|(?:ال)?رئيس|(?:ال)?هيئه"
    r"|le\s+conseil(?:\s+des\s+ministres)?|le\s+gouvernement)(?![^\W\d_])"
)
_CIRCUMSTANCE = re.compile(r"\s*[،,]?\s*(?:في|خلال|اثنا|بعد|عقب|برئاسه|lors|au\s+cours)(?![^\W\d_])")
_ANNOUNCES = re.compile(
    r"\s*[،,]?\s*(?:ما\s+يلي|ما\s+ياتي|الاتي|التالي|ce\s+qui\s+suit)?\s*[:،,]?\s*(?:علي\s+|de\s+|d')?"
)
# Several decisions in one sentence are joined by these.
_JOINS = re.compile(r"\s*[،,]?\s*(?:بالاضافه\s+الي|فضلا\s+عن|علاوه\s+علي|وكذا|en\s+plus\s+de)\s+")
# In a sentence, "، و" before another act opens another decision: "قرر إنشاء لجنة …، وتكليف ديوان …",
# "أجاز الخطة …، ووجه بنقل المراكز …", "صادق على الاتفاق …، وعلى مشروع القانون …".
_ANOTHER_ACT = re.compile(
    rf"\s*[،,]\s*و(?:(?=(?:ال)?(?:{_OPENING_NOUNS})\s)|وجه(?:ت)?\s+ب(?=[^\W\d_])|علي\s+(?=مشروع|الاتفاق|اتفاق))"
)
# A clause announcing what follows, or stopping on a preposition ("تتمثل أساسا في", "ويتعلق الأمر بـ"), decides nothing.
_ANNOUNCING_END = re.compile(
    r"(?:ما\s+يلي|ما\s+ياتي|الاتي|التالي|التاليه|الاتيه|(?<![^\W\d_])(?:في|ب|علي|الي))\s*[:.،,]?\s*$"
)
# Who presented it is not part of a decision: "…، تقدمت به السيدة الوزيرة", "…، قدمه وزير …".
_PRESENTED = re.compile(
    r"\s*[،,]\s*(?:تقدم|تقدمت|قدم|قدمت|قدمه|قدمها|قدمته|قدمتها|عرضه|عرضها|عرضته|عرضتها)(?:\s+(?:به|بها))?\s"
)
_RELATIVE = re.compile(r"\s*[،,]\s*(?:التي|الذي|اللتين|اللذين|الذين|اللواتي|اللاتي)\s")
_TAIL = re.compile(r"[\s.؛;،,:]*(?:(?:كما|و|وكذلك|كذلك|et|ainsi\s+que)[\s.؛;،,:]*)?$")
# Where the meeting date is usually written.
_MEETING = re.compile(r"(?:بتاريخ|المنعقد|المنعقده|جلسه|جلسته|جلستها|اجتماع|يوم|اليوم|réuni|séance|le\s+)")


_MET = re.compile(r"(?<![^\W\d_])(?:عقد|عقدت|اجتمع|اجتمعت|انعقد|انعقدت|التام|التامت)\s+")


def body_of(text: str) -> str | None:
    """Return the council or committee that issued text (مجلس الوزراء, مجلس وزاري مضيق), or None."""
    # The body that met ("عقدت اللجنة الوزارية العليا … اجتماعها"), rather than the letterhead above it.
    spans = fold_with_origin(text)
    for met in _MET.finditer(spans.text):
        named = find_name(text[spans.start(met.end()) :], _BODY_HEADS)
        if named and named[1] <= 1:
            return named[0]
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


# A line announcing decisions without a deciding verb: "واتخذ المجلس القرارات التالية:", "Les décisions suivantes".
_DECISIONS_ANNOUNCED = re.compile(
    r"(?<![^\W\d_])(?:ال)?(?:قرارات|مقررات|اجرا|اجراات|تعليمات|توجيهات|d[ée]cisions|mesures)(?![^\W\d_])\s*"
    r"(?:(?:ال)?(?:تاليه|اتيه|تالي|اتي|suivantes)|:)"
    r"|(?:انتهي|خلص)\s+(?:ال)?(?:مجلس|لجنه)?\s*(?:الي|ب)\s+(?:ما\s+يلي|ما\s+ياتي|الاتي|التالي)"
)


def _heading(line: Line) -> bool:
    """Say whether a line is a heading inside a list (a ministry's name above its appointments): short, unpunctuated."""
    return len(line.text.split()) <= 8 and not re.search(r"[.،,؛;:]\s*$", line.text)


def _opens_a_decision(line: Line) -> bool:
    """Say whether a paragraph begins with the verbal noun of a decision ("الموافقة على …", "تكليف …")."""
    first = line.folded.split()[0] if line.folded.split() else ""
    return bool(_OPENS.fullmatch(first))


def _decided(text: str) -> list[str]:
    """Return the decisions in the order written: items under a line announcing them, and clauses of the prose.

    Under an announcement, paragraphs opening with a decision's verbal noun are decisions too (not every council marks
    its list), and a heading between the announcement and its items (the ministry above its appointments) keeps the
    list going. An item that opens with a deciding verb ("اعتمد المجلس مشروع …") is read as a sentence.
    """
    decisions: list[str] = []
    deciding = False
    for block in blocks(split_lines(text)):
        lead = block.lead
        if block.nested:
            # Under a heading item ("• على مستوى الوزارة:") the sub-items are the decisions (appointments); under a
            # decision ("أولاً: الموافقة على التنظيم وفق الآتي:") they are its details.
            if deciding and lead is not None and not _opens_a_decision(lead) and lead.text in decisions:
                at = len(decisions) - 1 - decisions[::-1].index(lead.text)
                decisions[at : at + 1] = block.items
            continue
        if lead is None:
            decisions.extend(clause for item in block.items for clause in clauses(item))
            continue
        announces = bool(_DECIDES.search(lead.folded) or _DECISIONS_ANNOUNCED.search(lead.folded))
        if announces and lead.introduces:
            # What the line decides before announcing the list counts; the announcement itself does not
            # ("صادق المجلس على اتفاقيتين دوليتين:" announces two agreements, listed below).
            said = [clause for sentence in sentences(lead.text) for clause in clauses(sentence, announcing=True)]
            decisions.extend(clause for clause in said[:-1] if not _ANNOUNCING_END.search(fold(clause)))
            decisions.extend(block.items)
            deciding = True
            continue
        if deciding and (_opens_a_decision(lead) or (block.items and _heading(lead))):
            if _opens_a_decision(lead):
                decisions.append(clean_item(lead.text))
            decisions.extend(block.items)
            continue
        deciding = False
        for sentence in sentences(lead.text):
            decisions.extend(clauses(sentence))
        decisions.extend(clause for item in block.items for clause in clauses(item))
    return decisions


def _skip_subject(folded: str, position: int) -> int:
    """Return where the decision starts after a deciding verb at position: past the body and when it met."""
    body = _BODY.match(folded, position)
    if body:
        position = body.end()
    circumstance = _CIRCUMSTANCE.match(folded, position)
    if circumstance:
        # "في جلسته التي عقدها اليوم برئاسة …، الموافقة على": up to the comma, or the verbal noun that opens it.
        window = folded[circumstance.end() : circumstance.end() + 200]
        comma = re.search(r"[،,:]", window)
        opens = _OPENS.search(window)
        upon = re.search(r"(?<![^\W\d_])علي\s", window)  # وافق … على ما وافق عليه
        stops = [found.start() for found in (opens,) if found] + [found.end() for found in (comma, upon) if found]
        if stops:
            position = circumstance.end() + min(stops)
    also = re.match(r"\s*(?:كذلك|ايضا)(?![^\W\d_])", folded[position:])
    position += also.end() if also else 0
    announced = _ANNOUNCES.match(folded, position)
    return announced.end() if announced else position


def clauses(sentence: str, *, announcing: bool = False) -> list[str]:
    """Return what a sentence says was decided: one clause per deciding verb, as written.

    With announcing, a clause that only announces a list below is kept too (its caller drops it knowingly).
    """
    spans = fold_with_origin(sentence)
    folded = spans.text
    found = list(_DECIDES.finditer(folded))
    decided: list[str] = []
    for index, match in enumerate(found):
        stop = found[index + 1].start() if index + 1 < len(found) else len(folded)
        if match.group("aux") or match.group("urge"):
            start = match.end()
            if match.group("aux") in ("يعتزم", "تعتزم"):
                start = _skip_subject(folded, start)
        else:
            start = _skip_subject(folded, match.end())
        if start >= stop or (not announcing and _ANNOUNCING_END.search(folded[start:stop])):
            continue
        piece_folded = folded[start:stop]
        joins = list(_JOINS.finditer(piece_folded)) + list(_ANOTHER_ACT.finditer(piece_folded))
        joins.sort(key=lambda join: join.start())
        cuts = [0] + [join.end() for join in joins]
        ends = [join.start() for join in joins] + [len(piece_folded)]
        for cut, end in zip(cuts, ends, strict=True):
            piece = sentence[spans.start(start + cut) : spans.end(start + end)]
            # "…، التي تعتبر …" describes it and "…، قدمته الوزيرة" says who presented it: neither is decided.
            piece = _PRESENTED.split(_RELATIVE.split(piece, maxsplit=1)[0], maxsplit=1)[0]
            piece = _TAIL.sub("", piece.strip()).strip(' .؛;،,:«»"“”')
            if len(piece.split()) >= 2:
                decided.append(piece)
    return decided


def extract_decisions(text: str) -> dict[str, object]:
    """Return the issuing body, the meeting date and the decisions, in the order written."""
    decisions = _decided(text)
    return {"body": body_of(text), "date": date_of(text), "decisions": decisions}


def decision_details(decision: str) -> dict[str, object]:
    """Return what a decision names: the organization it charges (the first named in it) and its figures as written.

    Figures are amounts (with their currency) and counts of something ("3 مشاريع", "مبلغ 12 مليون دينار").
    """
    named = find_name(decision, _RESPONSIBLE_HEADS)
    figures: list[str] = [amount.text for amount in find_amounts(decision)]
    taken = [(amount.start, amount.end) for amount in find_amounts(decision)]
    for number in find_numbers(decision):
        inside = any(start <= number.start < end for start, end in taken)
        if number.noun and not number.reference and not inside:
            counted = re.match(r"\s*\S+", decision[number.end :])  # the noun counted, as written
            figures.append(number.text + (counted.group().rstrip("،,.؛;:") if counted else ""))
    return {"organization": named[0] if named else None, "figures": figures}
