"""Missions of an organization: who is charged, under whom, and the list of what it does."""

import re
from difflib import SequenceMatcher

from masar.arabic import fold
from masar.arabic.spans import fold_with_origin
from masar.intake.lines import Block, Line, blocks, split_lines
from masar.intake.names import ORGANIZATION_HEADS, find_name, find_names, read_name

# A line that charges someone with missions: يتولى, تضطلع, يعهد إلى, تكلف ب, المهام المنوطة ب …
CHARGES = re.compile(
    r"(?<![^\W\d_])[وف]?(?:يتولي|تتولي|تضطلع|يضطلع|تناط|يناط|يعهد|تعهد|تختص|يختص|تكلف|يكلف|تسهر|يسهر|تعمل|يعمل"
    r"|تقوم|يقوم|القيام|(?:ال|بال|لل)?(?:مهام|اختصاصات|صلاحيات|مشمولات)|المنوطه|missions?|attributions|charg[eé]e?)"
    r"(?![^\W\d_])(?!\s+ب(?:ه|ها|هذا|هذه)(?![^\W\d_]))"  # "ويعمل به من تاريخ نشره" puts a text in force
)
# Under whom an organization works, the strongest first: where it is established, then its supervision (tutelle),
# then what it is attached to ("تابع للدولة" is said of many; "تحت وصاية الوزارة" names the one).
_SUPERVISED = re.compile(
    r"(?<![^\W\d_])(?:و?(?:تحت اشراف|تحت سلطه|تحت وصايه|الخاضعه لوصايه|الخاضع لوصايه)|sous\s+la\s+tutelle\s+d[eu]"
    r"|plac[eé]e?\s+sous\s+l'autorit[eé]\s+d[eu])(?![^\W\d_])\s*"
    r"|(?<![^\W\d_])و?(?:تخضع|يخضع)\s+ل(?:اشراف|وصايه|سلطه)\s+"
)
_PARENT = re.compile(
    r"(?<![^\W\d_])(?:و?(?:التابعه|التابع|تابعه|تابع|الراجعه بالنظر|الراجع بالنظر|الموضوعه تحت|يتبع|تتبع"
    r"|احدي تشكيلات|احد تشكيلات)|rattach[eé]e?)(?![^\W\d_])\s*"
    # "ترتبط بالوزير", "ويرتبط تنظيمياً بالهيئة", "تحدث برئاسة الحكومة وحدة": the preposition is on the name.
    r"|(?<![^\W\d_])و?(?:ترتبط|يرتبط|تلحق|يلحق)\s+(?:[^\W\d_]+ا\s+)?(?=ب)"
)
# Where it is established: "تحدث برئاسة الحكومة وحدة", "تنشأ في البنك وحدة", "يُنشأ بوزارة … قطاع".
_ESTABLISHED_IN = re.compile(
    r"(?<![^\W\d_])(?:تحدث|يحدث|تنشا|ينشا)\s+(?:بموجب\s+هذا\s+[^\W\d_]+\s+)?(?:(?=ب(?!موجب))|(?:في|لدي)\s+)"
)
_ESTABLISHES = re.compile(r"(?<![^\W\d_])(?:تنشا|ينشا|تحدث|يحدث|تعد|يعد|تعتبر|يعتبر|est\s+cr[ée]{2}e?)(?![^\W\d_])")
# The preamble of a decree: its grounds (بناء على، وبمقتضى، Vu) and the formula before the articles (يرسم ما يأتي).
PREAMBLE = re.compile(
    r"^\s*[-–•]?\s*(?:و?بنا\s+علي|و?استنادا|و?بمقتضي|و?علي\s|و?بعد\s+(?:الاطلاع|المداوله|موافقه|استشاره)|و?نظرا"
    r"|و?لغرض|و?اعتبارا|vu\b|consid[ée]rant|sur\s+(?:proposition|le\s+rapport))"
    r"|(?:يرسم|رسم|يقرر|قرر|اصدرنا|نصدر|يصدر)\s+(?:ما\s+يلي|ما\s+ياتي|الاتي|التالي|النظام)|d[ée]cr[èe]te|arr[êe]te\s*:"
)
# The name an organization is given: تسمى "الوكالة الوطنية للرقمنة", يسمى «مكتب التحول الرقمي».
_CALLED = re.compile(r"(?:تسمي|يسمي|تدعي|يدعي|denomm[ée]e?)\s*[\"“«(]([^\"”»)]{3,120})[\"”»)]")


def _same(first: str, second: str) -> bool:
    """Say whether two spellings name the same organization (typing slips aside)."""
    return SequenceMatcher(None, fold(first), fold(second)).ratio() >= 0.8


def _charged(line: str) -> str | None:
    """Return who a charging line charges: the name right after its verb ("تتولى الوحدة"), else the last one named
    before it ("يكون للوحدة مدير عام يعين بقرار من الوزير، ويتولى ما يلي" charges the director, not the unit);
    a line without a verb ("المهام المنوطة بقطاع التواصل") names it after its charging word; a line naming no one
    goes on with the one charged before."""
    spans = fold_with_origin(line)
    match = CHARGES.search(spans.text)
    if match is None:
        return _organization(line)
    after = find_name(line[spans.start(match.end()) :], ORGANIZATION_HEADS)
    if after and after[1] <= 1:
        return after[0]
    before = list(find_names(line[: spans.start(match.start())], ORGANIZATION_HEADS))
    if before:
        return before[-1][0]
    return None  # "وتضطلع، في مجال إصلاح الإدارة، بما يلي:": the one charged above goes on


def _organization(line: str) -> str | None:
    found = find_name(line, ORGANIZATION_HEADS)
    return found[0] if found else None


def _unprefixed(word: str) -> str:
    """Return a word without the preposition written on it: بالوزير → الوزير, للإدارة → الإدارة, لوزارة → وزارة."""
    folded = fold(word)
    if folded.startswith(("بال", "لل")) and len(folded) > 4:
        return "ال" + word[2:] if folded.startswith("لل") else word[1:]
    if folded.startswith(("ب", "ل")) and folded[1:] in ORGANIZATION_HEADS:
        return word[1:]
    return word


def parent_of(text: str) -> str | None:
    """Return the organization text says the mandated one belongs to or works under, or None.

    A bare "الوزير" or "الوزارة" is the ministry the text names. A list item is read only when it establishes the
    organization (an article "(2) تنشأ … وحدة … تابعة لـ …"): an item naming "المؤسسات التابعة للوزارة" is a task.
    """
    for pattern in (_ESTABLISHED_IN, _SUPERVISED, _PARENT):
        found = _parent_by(pattern, text)
        if found:
            return found
    return None


def _parent_by(pattern: re.Pattern[str], text: str) -> str | None:
    for line in split_lines(text):
        # Match on the line folded character by character, to read on from that point in the line as written.
        spans = fold_with_origin(line.text)
        match = pattern.search(spans.text)
        # The organization is placed under another where it is named, not in the missions listed.
        if match is None or (line.item and not _ESTABLISHES.search(spans.text)):
            continue
        words = line.text[spans.start(match.end()) :].split()
        start = 0
        if not words:
            continue
        if fold(words[start]) in ("الي", "ل", "de", "du") and start + 1 < len(words):
            start += 1
        words[start] = _unprefixed(words[start])
        name = read_name(words, start)
        if name:
            return _ministry_of(text, name) if _bare(name) else name
    return None


def _ministry_of(text: str, bare: str) -> str:
    """Return the full name a bare "الوزير" or "الوزارة" stands for: the first ministry the text names in full."""
    head = fold(bare).removeprefix("ال")
    if head in ("وزير", "وزاره"):
        for name, _ in find_names(text, frozenset({"وزاره"})):
            if len(name.split()) > 1:
                return name
    return _full_name(text, bare) or bare


def _head(name: str) -> str:
    words = fold(name).split()
    return words[0].removeprefix("ال") if words else ""


def _bare(name: str) -> bool:
    """Say whether a name is its head noun alone ("الوكالة", "الوزارة"): it refers back to the one named before."""
    folded = fold(name)
    return len(folded.split()) == 1 and folded.removeprefix("ال") in ORGANIZATION_HEADS


def _full_name(text: str, bare: str) -> str | None:
    """Return the full name a bare head noun refers to: the name it was given, else the first with that head."""
    head = fold(bare).removeprefix("ال")
    for called in _CALLED.finditer(text):
        name = called.group(1).strip()
        if fold(name).removeprefix("ال").startswith(head) and len(name.split()) > 1:
            return name
    for name, _ in find_names(text, ORGANIZATION_HEADS):
        first = fold(name.split()[0]).removeprefix("ال")
        if first == head and len(name.split()) > 1:
            return name
    return None


def _mandate_blocks(found: list[Block], text: str) -> tuple[str | None, list[str]]:
    organization: str | None = None
    missions: list[str] = []
    current: str | None = None
    for block in found:
        lead = block.lead
        if lead is not None and not block.nested:
            if not CHARGES.search(lead.folded) or PREAMBLE.search(lead.folded):
                current = None
                continue
            named = _charged(lead.text)
            if named and _bare(named):
                # "الوحدة" refers back to the unit named before; "الوزير" to someone else.
                same_head = organization and _head(organization) == _head(named)
                named = organization if same_head else (_full_name(text, named) or named)
            current = named or current or organization or ""
            if organization is None and named and (block.items or lead.introduces):
                organization = named
        elif lead is None:
            # Items at the top of the text may be the missions of a text without a lead; further down, a list
            # marked otherwise starts something else (a section, another organization's units).
            current = "" if organization is None and not missions else None
        if current is None:
            continue
        if organization and current and not _same(current, organization):
            continue
        if block.nested and lead is not None and CHARGES.search(lead.folded) and missions[-1:] == [task_of(lead.text)]:
            missions.pop()  # "(3) تكون للوحدة الاختصاصات الآتية:" leads in to the missions below it
        if lead is not None and not block.nested and not block.items and missions:
            # A later article charging the same organization in one sentence ("ويتولى القطاع، فضلاً عما تقدم، أ، وب")
            # adds its missions when each part opens with a verbal noun.
            parts = _run_in(Line(_ADDITIONALLY.sub("", lead.text), False))
            if len(parts) >= 2 and all(_VERBAL_NOUN.match(fold(part.split()[0])) for part in parts):
                missions.extend(parts)
        missions.extend(task_of(item) for item in block.items)
    return organization, missions


_ADDITIONALLY = re.compile(r"[،,]?\s*(?:فضلاً|فضلا)\s+عما\s+تقدم\s*[،,]?|[،,]?\s*علاوة\s+على\s+ذلك\s*[،,]?")
# A mission written as a sentence: the verb and who is charged come before the task ("تسهر الوزارة على …").
_CHARGING_OPENING = re.compile(
    r"^(?:[وف]?(?:تسهر|يسهر|تكلف|يكلف|تتولي|يتولي|تعمل|يعمل|تقوم|يقوم|تضطلع|يضطلع|تختص|يختص))(?![^\W\d_])"
)


def task_of(item: str) -> str:
    """Return the task of a mission item, without the charging verb and its subject when it opens with them."""
    folded_words = [fold(word) for word in item.split()]
    if not folded_words or not _CHARGING_OPENING.match(folded_words[0]):
        return item
    words = item.split()
    index = 1
    named = find_name(" ".join(words[1:]), ORGANIZATION_HEADS)
    if named and named[1] == 0:
        index += len(named[0].split())
    elif index < len(words) and folded_words[index].strip("،,") in ("كذلك", "ايضا"):
        index += 1
    rest = " ".join(words[index:]).lstrip("،, ")
    if rest.startswith(("،", ",")) or (index < len(words) and words[index - 1].endswith(("،", ","))):
        # "يسهر كذلك، وفق النصوص الجاري بها العمل، على …": the circumstance between commas goes too.
        rest = re.sub(r"^[^،,]*[،,]\s*", "", rest, count=1)
    rest = re.sub(r"^(?:على|علي)\s+", "", rest)
    rest = re.sub(r"^ب(?=ال)", "", rest)
    return rest if len(rest.split()) >= 2 else item


def listed_missions(text: str) -> list[str]:
    """Return the items listed under a line charging someone with them (the missions of a mandate's layout)."""
    return _mandate_blocks(blocks(split_lines(text)), text)[1]


def _housed_in(text: str, organization: str | None) -> str | None:
    """Return the organization the mandated one is named within: "دائرة التحول الرقمي في وزارة الاتصالات"."""
    if not organization:
        return None
    at = text.find(organization)
    if at < 0:
        return None
    words = text[at + len(organization) :].split()[:3]
    if not words:
        return None
    first = fold(words[0])
    if first in ("في", "ب", "لدي") and len(words) > 1:
        named = find_name(" ".join(text[at + len(organization) :].split()[1:12]), ORGANIZATION_HEADS)
        return named[0] if named and named[1] == 0 else None
    if first.startswith("ب") and first[1:] in ORGANIZATION_HEADS:
        return read_name(text[at + len(organization) :].split(), 0, strip=1)
    return None


def extract_mandate(text: str) -> dict[str, object]:
    """Return the organization, its parent and its missions, in the order written."""
    found = blocks(split_lines(text))
    organization, missions = _mandate_blocks(found, text)
    if not missions:
        charged, missions = _prose(text)
        if organization is None and charged:
            organization = _full_name(text, charged) if _bare(charged) else charged
    if organization is None:
        organization = _organization(text)
    parent = parent_of(text) or _housed_in(text, organization)
    return {"organization": organization, "parent_organization": parent, "missions": missions}


# The words that announce the missions in the sentence charging someone with them: "مهام", "بالمهام التالية".
_ANNOUNCED = re.compile(
    r"^[\s:،,-]*(?:(?:ب|و)?(?:ال)?(?:مهام|مهمه|اختصاصات|صلاحيات)(?:\s+(?:ال)?(?:تاليه|اتيه))?)?[\s:،,-]*"
    r"(?:(?:علي\s+وجه\s+الخصوص|بوجه\s+خاص|علي\s+الخصوص|خاصه|لا\s+سيما)[\s:،,-]*)?"
)
# A mission opens with a verbal noun: تنظيم, إعداد, مراقبة, اقتراح, استغلال, and a few short ones.
_VERBAL_NOUN = re.compile(
    r"(?:ال)?(?:ت\w\w(?:ي|ا)\w|ا\w\wا\w|م\wا\w\wه|ا\wت\wا\w|است\w\wا\w|وضع|دعم|رصد|نشر|ضبط|حمايه|رعايه|اداره|سهر|"
    r"اشراف|ضمان|تمثيل)$"
)


def _split_run_in(body: str) -> list[str]:
    """Split "أ، ب، و ج" at its separators; with none, at each و that opens a verbal noun ("تنظيم … ومراقبة …")."""
    parts: list[str] = []
    if re.search(r"[؛;،,]|\s-\s", body):
        parts = re.split(r"[؛;]|[،,]\s*و?|\s-\s", body)
    else:
        current: list[str] = []
        for word in body.split():
            folded = fold(word)
            if current and folded.startswith("و") and _VERBAL_NOUN.match(folded[1:]) and len(current) >= 2:
                parts.append(" ".join(current))
                current = [re.sub(r"^و[\u064b-\u0652]*", "", word)]
            else:
                current.append(word)
        parts.append(" ".join(current))
    return [part.strip(" .؛;،,:") for part in parts if len(part.split()) >= 2]


def _run_in(line: Line) -> list[str]:
    """Return the missions a charging sentence enumerates after its verb and subject ("تتولى الهيئة أ، ب، و ج")."""
    tail = re.split(r":|ما يلي|التالية|الآتية", line.text, maxsplit=1)
    body = tail[1] if len(tail) > 1 else ""
    named = find_name(line.text, ORGANIZATION_HEADS)
    if not body and named:
        # "يتولى مكتب الضبط تسجيل المراسلات، وحفظ الأرشيف": the missions follow the organization's name.
        after = line.text.split(named[0], 1)
        body = after[1] if len(after) > 1 else ""
    announced = _ANNOUNCED.match(fold(body))
    body = body[announced.end() :] if announced else body
    return _split_run_in(body)


def prose_missions(text: str) -> list[str]:
    """Return missions enumerated in one sentence after a charging verb: "تتولى الهيئة أ، ب، و ج"."""
    return _prose(text)[1]


def _prose(text: str) -> tuple[str | None, list[str]]:
    """Return who the first sentence enumerating missions charges, and those missions."""
    for line in split_lines(text):
        if not CHARGES.search(line.folded) or PREAMBLE.search(line.folded):
            continue
        parts = _run_in(line)
        if len(parts) >= 2:
            return _charged(line.text), parts
    return None, []
