"""Names of organizations and plans as written in running text.

A name is a head noun (وزارة, مديرية, هيئة, مجلس, استراتيجية, برنامج …) and the words that complete it.
Arabic builds such names by annexation (idafa): only the last noun of the chain takes the article, so the
name ends at the first word after a definite one that neither takes the article nor joins with و
("وزارة تكنولوجيات الاتصال | اقتراح السياسة"), or at punctuation, a preposition, a relative pronoun or
a word that starts what is said about the name.
"""

import re
from collections.abc import Iterator

from masar.arabic import fold

ORGANIZATION_HEADS = frozenset(
    fold(word)
    for word in "وزاره مديريه اداره هيئه مصلحه قطاع ديوان مكتب وكاله مجلس معهد مركز لجنه كتابه مفتشيه صندوق سلطه موسسه "
    "جهاز دائره قسم بلديه وحده خليه امانه مندوبيه محافظه ولايه رياسه مرصد بنك مصرف شركه نيابه عماده وزير مدير "
    "ministere ministère direction agence office conseil institut centre commission autorite autorité secrétariat "
    "délégation haut-commissariat inspection observatoire fonds caisse".split()
)
PLAN_HEADS = frozenset(
    fold(word)
    for word in "استراتيجيه استراتيجيات خطه مخطط برنامج رويه ميثاق اجنده خارطه strategie stratégie plan programme "
    "vision feuille".split()
)
_PREFIXES = ("وب", "ول", "وال", "فال", "بال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
_STOPS = frozenset(
    fold(word)
    for word in "علي في من الي عن لدي تحت التي الذي الذين التابعه التابع الراجعه الراجع الخاضعه الخاضع المحدثه المحدث "
    "بموجب طبقا وفقا وذلك القيام مهمه مهام المهام اختصاصات صلاحيات ما يلي برئاسه يوم اليوم بتاريخ بجلسته "
    "وضع بجلستها المنعقده المنعقد خلال للفتره الفتره فتره للاعوام للعام للسنوات للسنتين لسنه لعام "
    "الاجتماع اجتماعه اجتماعها الجلسه جلسته جلستها الدوره دورته "
    "بهدف لتحقيق الذي يتضمن تتضمن وتتضمن ويتضمن تهدف يهدف هو هي ان انه "
    "خصص خصصت ترأس ترأسه قرر قررت اقر صادق وافق لمتابعه لدراسه للنظر "
    "sous de la du des le les pour qui est sont a".split()
)
# French names run on through de, la, du, des, et up to a verb, a relative pronoun or punctuation.
_FRENCH_STOPS = frozenset(
    "est sont a ont s'est se qui que dont pour fixant fixe relatif relative portant chargé chargée sous lors le les "
    "au aux sur par avec dans en réuni réunie tenu approuvé décidé".split()
)
_MAX_WORDS = 16
# "الوزير المكلف بالرقمنة": the charge completes the name; "المنتدبة لدى" joins the one it is delegated to.
_CHARGED = re.compile(r"^(?:ال)?مكلف(?:ه|ون|ين)?$")
_DELEGATED = re.compile(r"^(?:ال)?(?:منتدب|منتدبه|ملحق|ملحقه)$")
# A و that opens a verb (ويحدد, ويتولى) or a word with an attached pronoun (وتنظيمها, وسيرها) ends a name.
_ENDS_A_NAME = re.compile(r"^و(?:ي[^\W\d_]{2,}|[^\W\d_]{3,}(?:ها|هما|هم|هن))$")
_PUNCTUATION = re.compile(r"[\n،,:؛;.()\[\]«»\"“”/|]")
_YEAR = re.compile(r"^[0-9٠-٩]")


def _definite(folded: str) -> bool:
    return folded.startswith(("ال", "لل", "وال", "بال", "فال", "كال", "l'", "d'"))


def _head_of(folded: str, heads: frozenset[str]) -> str | None:
    """Return the prefix (ب, ل, و, ال …) before a head noun in word, or None when word is no head."""
    if folded in heads:
        return ""
    for prefix in _PREFIXES:
        if folded.startswith(prefix) and folded[len(prefix) :] in heads:
            return prefix
    return None


def read_name(words: list[str], start: int, *, strip: int = 0) -> str | None:
    """Return the name that begins at words[start] (its first strip letters left out), or None."""
    if start < len(words) and _LATIN.match(words[start]):
        return _read_french_name(words, start)
    taken: list[str] = []
    seen_definite = False
    for index in range(start, min(len(words), start + _MAX_WORDS)):
        word = words[index]
        if index == start + 1 and _QUOTED_WORD.match(word):
            taken.append(word.rstrip("،,.:؛\n"))
            if word[-1] in "،,.:؛\n":
                break
            continue
        if index == start + 1 and (quoted := _quoted_name(words, index)) is not None:
            # برنامج «تمكين الحكومة الرقمية»: the head and its name between quotes.
            taken.append(f"«{quoted[0]}»")
            break
        cut = _PUNCTUATION.search(word)
        core = word[: cut.start()] if cut else word
        folded = fold(core)
        if index > start:
            previous = fold(taken[-1]) if taken else ""
            if _DELEGATED.match(previous) and folded == "لدي":
                # "الوزارة المنتدبة لدى رئيس الحكومة المكلفة بالانتقال الرقمي": one name, as Moroccan decrees write it.
                taken.append(core)
                seen_definite = False
                if cut:
                    break
                continue
            if not folded or folded in _STOPS or _YEAR.match(folded):
                break
            if folded.startswith("بال") and not taken[-1:] == ["و"] and not _CHARGED.match(previous):
                break
            if seen_definite and not _definite(folded) and not folded.startswith("و"):
                # "الإدارة العامة لتقانة المعلومات": ل and a noun completed by a definite one go on with the name.
                following = fold(words[index + 1]) if index + 1 < len(words) and not cut else ""
                if not (folded.startswith("ل") and _definite(following)):
                    break
            if folded.startswith("و") and _ENDS_A_NAME.match(folded):
                break
            following = fold(_PUNCTUATION.split(words[index + 1])[0]) if index + 1 < len(words) and not cut else ""
            if seen_definite and folded.startswith("و") and not _definite(folded[1:]) and not _definite(following):
                break  # "البنك وحدة تسمى": وحدة is a noun, not و and a word joined to the name
        if folded:
            taken.append(core[strip:] if index == start else core)
            seen_definite = seen_definite or _definite(folded)
        if cut:
            break
    if len(taken) > 2 and fold(taken[-1]).startswith("و") and not _definite(fold(taken[-1])[1:]):
        taken.pop()  # "وحدة الحكومة الإلكترونية وتحديد …": a coordinated verbal noun left without its complement
    name = " ".join(taken).strip()
    return name or None


_LATIN = re.compile(r"^[A-Za-zÀ-ÿ]")


def _read_french_name(words: list[str], start: int) -> str | None:
    taken: list[str] = []
    for index in range(start, min(len(words), start + _MAX_WORDS)):
        word = words[index]
        cut = _PUNCTUATION.search(word)
        core = word[: cut.start()] if cut else word
        if index > start and (not core or core.casefold() in _FRENCH_STOPS or _YEAR.match(core)):
            break
        if core:
            taken.append(core)
        if cut:
            break
    while taken and taken[-1].casefold() in ("de", "la", "du", "des", "et", "l'", "d'"):
        taken.pop()
    return " ".join(taken) or None


def find_name(text: str, heads: frozenset[str], *, after: int = 0) -> tuple[str, int] | None:
    """Return the first name with one of heads in text (from word index after) and its word index."""
    return next(find_names(text, heads, after=after), None)


def find_names(text: str, heads: frozenset[str], *, after: int = 0) -> Iterator[tuple[str, int]]:
    """Yield every name with one of heads in text (from word index after) with its word index, in one reading."""
    # A name does not run on to the next line: the last word of a line carries its line break.
    words = [match.group(1) + ("\n" if "\n" in match.group(2) else "") for match in _WORD.finditer(text)]
    inside_until = after  # heads inside a name already read are part of it ("الخطة التنفيذية للبرنامج الوطني")
    for index in range(after, len(words)):
        if index < inside_until:
            continue
        quoted = _quoted_name(words, index)
        folded = fold(_PUNCTUATION.split(words[index].lstrip(_OPENING_QUOTES))[0])
        prefix = _head_of(folded, heads)
        if prefix is None:
            continue
        name: str | None
        called = _called_name(words, index + 1)
        if quoted is not None:
            name, length = quoted
        elif called is not None:
            # "مركز يسمى «المركز المصري …»", "وحدة تسمى (وحدة الأمن السيبراني في القطاع المالي)": the name given.
            name, length = called[0], called[1] + 2
        else:
            # The article is part of the name (المديرية العامة); a preposition or و before it is not.
            strip = len(prefix) - (2 if prefix.endswith("ال") else 0)
            name = read_name(words, index, strip=strip)
            length = len(name.split()) if name else 1
        if name:
            inside_until = index + length
            yield name, index


_WORD = re.compile(r"(\S+)(\s*)")
_OPENING_QUOTES = '«"“„'
_CLOSING_QUOTE = re.compile(r"[»\"”]")
# A one-word name within a name: برنامج "حكومتي" للخدمات الموحدة.
_QUOTED_WORD = re.compile(r"^[«\"“„][^\W\d_]+[»\"”][،,.:؛]?$")
_TRAILING_YEARS = re.compile(r"[\s\-–—:]*(?:[0-9٠-٩]{4}(?:\s*[-–—/]\s*[0-9٠-٩]{2,4})?)?\s*$")


_CALLED_VERBS = frozenset({"يسمي", "تسمي", "يدعي", "تدعي", "باسم"})


def _called_name(words: list[str], index: int) -> tuple[str, int] | None:
    """Return the name given after "يسمى" / "تسمى" at words[index], between quotes or parentheses, and its length."""
    if index + 1 >= len(words) or fold(words[index]) not in _CALLED_VERBS:
        return None
    following = words[index + 1 :]
    if following[0].startswith("("):
        following = ["«" + following[0][1:], *following[1:]]
        following = [word.replace(")", "»", 1) if ")" in word else word for word in following[:_MAX_WORDS]]
    return _quoted_name(following, 0)


def _quoted_name(words: list[str], index: int) -> tuple[str, int] | None:
    """Return a name written between quotes from words[index] («الاستراتيجية الوطنية ٢٠٢٣–٢٠٢٧») and its length.

    Quotes mark the whole name: it is read to the closing quote, without the years that end it (they are its period).
    """
    if not words[index].startswith(tuple(_OPENING_QUOTES)):
        return None
    for end in range(index, min(len(words), index + _MAX_WORDS)):
        word = words[end] if end > index else words[end][1:]
        closing = _CLOSING_QUOTE.search(word)
        if closing:
            taken = [*(words[index + 1 : end] if end > index else []), word[: closing.start()]]
            first = words[index][1:] if end > index else None
            name = " ".join(([first] if first is not None else []) + taken)
            name = _TRAILING_YEARS.sub("", name).strip()
            return (name, end - index + 1) if name else None
    return None


def words_of(text: str) -> list[str]:
    return text.split()
