"""The layout of an administrative text: prose lines, and list items under the line that introduces them.

Arab official texts enumerate with dashes (- – — ـ), bullets (• ▪ ●), digits ("1-", "2)", "٣."), letters
("أ-", "ب)") or ordinal adverbs ("أولا:", "ثانيا -"), one item a line or several on one line after a colon.
"""

import re
from dataclasses import dataclass, field

from masar.arabic import fold

_DASHES = "-–—ـ•▪●○◦·*►➢✓"
_ORDINAL_ADVERBS = (
    "[اأإ]ولا|ثانيا|ثالثا|رابعا|خامسا|سادسا|سابعا|ثامنا|تاسعا|عاشرا|حادي عشر|ثاني عشر|ثالث عشر|رابع عشر|خامس عشر"
)
_MARKS = "[\u064b-\u0652\u0640]*"  # tanween and other diacritics written on the adverb (أولاً)
# A marker opening a line: a dash or bullet, a number or a letter followed by - ) . /, or an ordinal adverb.
_MARKER = re.compile(
    rf"^\s*(?:[{re.escape(_DASHES)}]+|\(?[0-9٠-٩]{{1,2}}\s*[-–).:/]|\(?[0-9٠-٩]{{1,2}}\s*\)|"
    r"\(?[اأبتثجحخدذرزسشصضطظعغفقكلمنهوي]ـ?\s*[-–).](?=\s)|"
    rf"(?:{_ORDINAL_ADVERBS}){_MARKS}\s*[:\-–]|[a-z]\s*\))(?=\s*\S)",
)
# Several items on one line: a marker after a colon, semicolon or full stop starts a new line.
_INLINE = re.compile(
    r"(?<=[:؛;.،,])(?<!Art\.)(?<!art\.)(?<!ART\.)\s+(?=(?:[-–—•▪●]\s|\(?[0-9٠-٩]{1,2}\s*[-–).]\s|\(?[0-9٠-٩]{1,2}\)\s|"
    rf"(?:{_ORDINAL_ADVERBS}){_MARKS}\s*[:\-–]))"
)
_MARKER_ALONE = re.compile(
    rf"^\s*(?:(?:{_ORDINAL_ADVERBS}){_MARKS}|\(?[0-9٠-٩]{{1,2}}\)?|\(?[اأبتثجحخدذرزسشصضطظعغفقكلمنهوي]ـ?\))\s*[:\-–.)]?\s*$"
)
_TRAILING = re.compile(r"[\s؛;.,،:]+$")
# A line that announces a list ends with a colon, "بـ", "ما يلي" or "التالية".
_INTRODUCES = re.compile(r"(?::|\bب\s*ـ*|ما\s+يلي|التاليه|الاتيه|التالي|الاتي|suivantes?|:\s*-)\s*[:.]?\s*$")


@dataclass
class Line:
    """One line of the text: its words as written, and whether a list marker opened it."""

    text: str
    item: bool
    # The kind of marker that opened the item (dash, number, letter, ordinal adverb): a list inside a list uses
    # another kind, and the outer list resumes where its kind comes back.
    marker: str = ""
    # Whether the item, as written before its closing colon was cleaned off, announced a list ("… وتشمل:").
    announced: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def introduces(self) -> bool:
        """Say whether the line announces a list ("… بالمهام التالية:", "… وذلك بـ")."""
        return self.announced or bool(_INTRODUCES.search(self.folded))


@dataclass
class Block:
    """A line introducing a list (or None at the top of the text) and the items listed under it."""

    lead: Line | None
    items: list[str] = field(default_factory=list)
    # A list inside an item of another list (its lead is that item).
    nested: bool = False


def clean_item(text: str) -> str:
    """Return a list item without its marker, surrounding spaces and trailing ؛ . , ، :"""
    text = _MARKER.sub("", text, count=1) if _MARKER.match(text) else text
    return _TRAILING.sub("", text).strip()


_MARKER_KINDS = (
    ("number", re.compile(r"^\s*\(?[0-9٠-٩]")),
    ("ordinal", re.compile(rf"^\s*(?:{_ORDINAL_ADVERBS})")),
    ("letter", re.compile(r"^\s*\(?[^\W\d_]ـ?\s*[-–).]")),
)
_ENDS_ITEM = re.compile(r"[.؛;:،,!؟?]\s*$")
# The rest of a wrapped item ends as items end (؛ or ،); a line ending with a full stop is a new paragraph.
_CONTINUES = re.compile(r"[؛;،,]\s*$")


def _marker_kind(part: str) -> str:
    if part.lstrip()[:1] in "•▪●○◦·*►➢✓":
        return "bullet"  # bullets and dashes nest: "• على مستوى الوزارة:" above "- السيد …"
    for kind, pattern in _MARKER_KINDS:
        if pattern.match(part):
            return kind
    return "dash"


def split_lines(text: str) -> list[Line]:
    """Return the non-empty lines of text, one item a line, marking which are list items.

    A line without a marker that follows an item left without its closing punctuation continues that item (a long
    item wrapped when the text was copied from a page), unless it announces something itself.
    """
    lines: list[Line] = []
    open_item = False
    pending = ""  # a marker written alone on its line ("أولاً:"): the next line is its item
    for raw in text.replace("\r", "\n").split("\n"):
        for part in _INLINE.split(raw):
            if not part.strip():
                continue
            if _MARKER_ALONE.match(part):
                pending = part.strip()
                continue
            if pending:
                part, pending = f"{pending} {part.strip()}", ""
            if _MARKER.match(part):
                lines.append(Line(clean_item(part), True, _marker_kind(part), bool(_INTRODUCES.search(fold(part)))))
            elif open_item and _CONTINUES.search(part) and not _INTRODUCES.search(fold(part)):
                last = lines[-1]
                lines[-1] = Line(f"{last.text} {_TRAILING.sub('', part).strip()}", True, last.marker)
            else:
                lines.append(Line(part.strip(), False))
            open_item = lines[-1].item and not _ENDS_ITEM.search(part)
    return lines


def blocks(lines: list[Line]) -> list[Block]:
    """Group list items under the last prose line (or announcing item) before them.

    An item that itself announces a list ("ـ تتولى الوزارة … وذلك بـ") and is followed by items leads them. When
    those items are marked otherwise (numbers under ordinal adverbs), they are a list inside the item: the item
    stays in its list, and that list goes on where its kind of marker comes back.
    """
    found: list[Block] = []
    current: Block | None = None
    outer: tuple[Block, str] | None = None
    current_marker = ""
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if outer is not None and (not line.item or line.marker == outer[1]):
            if line.item:
                current, current_marker = outer
            outer = None
        nested = bool(
            line.item
            and line.introduces
            and following is not None
            and following.item
            and following.marker != line.marker
        )
        leads = not line.item or (line.introduces and following is not None and following.item)
        if nested and current is not None:
            current.items.append(line.text)
            outer = (current, line.marker)
        if leads:
            current = Block(line, nested=nested and outer is not None)
            found.append(current)
            continue
        if current is None or (
            # A section heading marked otherwise after a list ("ثانياً: عرض حول …" after dashed directives) ends it.
            current.items and outer is None and line.marker != current_marker and not nested
        ):
            current = Block(None)
            found.append(current)
        current.items.append(line.text)
        current_marker = line.marker
    return found


def sentences(text: str) -> list[str]:
    """Return the sentences of text: split at full stops and line ends."""
    parts = re.split(r"(?<=[.!؟?])\s+|\n+", text)
    return [part.strip() for part in parts if part.strip()]
