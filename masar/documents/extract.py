"""Recognize a document's kind from its bytes and read its text, Arabic in logical order.

No Django here (but the zip limits, read from the settings): the document services call it and say
in the reader's language why a file is refused (`Refusal.reason`). Kinds: PDF (read with pypdf),
Word (python-docx, after the shared bounded zip reader, masar.core.zips, has checked it), HTML (the
standard library's parser) and plain text (UTF-8, or UTF-16 with its byte-order mark). The kind
comes from the content; the name's extension must agree with it.
"""

from __future__ import annotations

import enum
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser

from masar.attachments.content import DOCX, PDF, FileKind
from masar.attachments.content import detect as detect_binary
from masar.core import zips

TXT = FileKind("text/plain", (".txt",))
HTML = FileKind("text/html", (".html", ".htm"))
KINDS = (PDF, DOCX, TXT, HTML)

MAX_PDF_PAGES = 3000


class Reason(enum.Enum):
    UNKNOWN_CONTENT = "unknown_content"
    NAME_MISMATCH = "name_mismatch"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"
    TOO_MANY_PAGES = "too_many_pages"


class Refusal(Exception):
    """The file cannot be taken; `reason` says why (the services turn it into a translated message)."""

    def __init__(self, reason: Reason):
        self.reason = reason
        super().__init__(reason.value)


@dataclass(frozen=True)
class Extracted:
    kind: FileKind
    text: str
    has_text: bool  # False: a PDF without a text layer (a scan): the file is kept, its text is empty
    page_count: int | None = None


def kind_for_name(name: str) -> FileKind | None:
    """Return the kind a file's name claims, from its extension."""
    lowered = name.lower()
    return next((kind for kind in KINDS if lowered.endswith(kind.extensions)), None)


# Recognizing the kind ---------------------------------------------------------------------------

_MARKUP = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|p|div|br|table|h[1-6]|script|span|a\s)[\s>/]", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str | None:
    """Return the text of bytes in UTF-8 (with or without BOM) or UTF-16 with BOM; None when it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        return None
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):  # NUL and other control characters: a binary file, not a text
        return None
    return text


def looks_like_html(text: str) -> bool:
    """Whether a text is an HTML page: it opens with a doctype or <html>, or holds the usual tags."""
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return head.startswith("<") and bool(_MARKUP.search(text[:200_000]))


def detect(data: bytes) -> FileKind | None:
    """Return the kind of a document's content (PDF, DOCX, TXT, HTML), or None when it is none of them."""
    binary = detect_binary(io.BytesIO(data))
    if binary is not None:
        return binary if binary in (PDF, DOCX) else None
    if data.startswith((b"%PDF", b"PK\x03\x04")):
        return None  # a zip that is no Word document
    text = decode_text(data)
    if text is None:
        return None
    return HTML if looks_like_html(text) else TXT


def check_kind(data: bytes, name: str) -> FileKind:
    """Return the kind of the content, refusing content of no accepted kind and a name that says another."""
    found = detect(data)
    if found is None:
        raise Refusal(Reason.UNKNOWN_CONTENT)
    if kind_for_name(name) != found:
        raise Refusal(Reason.NAME_MISMATCH)
    return found


# Reading the text -------------------------------------------------------------------------------


def extract(data: bytes, name: str, *, language: str = "ar") -> Extracted:
    """Check a file's kind from its bytes and return its text, normalized, Arabic in logical order."""
    kind = check_kind(data, name)
    if kind == PDF:
        text, pages = _pdf_text(data, language)
        text = normalize(text)
        return Extracted(kind=kind, text=text, has_text=bool(text.strip()), page_count=pages)
    if kind == DOCX:
        text = _docx_text(data)
    elif kind == HTML:
        text = html_text(decode_text(data) or "")
    else:
        text = decode_text(data) or ""
    text = normalize(text)
    return Extracted(kind=kind, text=text, has_text=True)


def normalize(text: str) -> str:
    """Return text in NFKC (Arabic presentation forms become letters), lines trimmed, no run of blank lines."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _pdf_text(data: bytes, language: str) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns about every oddity of a damaged file; we judge the outcome
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise Refusal(Reason.ENCRYPTED)
            count = len(reader.pages)
            if count == 0:
                raise Refusal(Reason.CORRUPT)
            if count > MAX_PDF_PAGES:
                raise Refusal(Reason.TOO_MANY_PAGES)
            pages = [_pdf_page_text(page, language) for page in reader.pages]
        except Refusal:
            raise
        except FileNotDecryptedError:
            raise Refusal(Reason.ENCRYPTED) from None
        except Exception:  # a damaged file fails in many ways inside the parser: all of them mean "corrupt"
            raise Refusal(Reason.CORRUPT) from None
    return "\n\n".join(pages), count


def _pdf_page_text(page: object, language: str) -> str:
    """Return a page's text with each line in logical order.

    pypdf gives the pieces of a line in the order they are drawn, left to right, with the text of an
    Arabic piece already in logical order: a line mixing Arabic with numbers or Latin words reads
    scrambled. Each line is put back in visual order, then read right to left (`logical_line`).
    """
    pieces: list[str] = []
    page.extract_text(visitor_text=lambda text, *_args: pieces.append(text))  # type: ignore[attr-defined]
    lines: list[list[str]] = [[]]
    for piece in pieces:
        parts = piece.split("\n")
        lines[-1].append(parts[0])
        for part in parts[1:]:
            lines.append([part])
    return "\n".join(line_from_pieces(line, language) for line in lines)


# Arabic in logical order ------------------------------------------------------------------------


def _is_arabic(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("AL", "R")


def _is_ltr(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN", "AN")


def _counts(text: str) -> tuple[int, int]:
    arabic = sum(1 for c in text if _is_arabic(c))
    latin = sum(1 for c in text if c.isalpha() and unicodedata.bidirectional(c) == "L")
    return arabic, latin


def right_to_left(text: str, language: str) -> bool:
    """Whether a line is read right to left: it holds Arabic, and it is an Arabic document or Arabic dominates."""
    arabic, latin = _counts(text)
    return arabic > 0 and (language == "ar" or arabic >= latin)


def line_from_pieces(pieces: list[str], language: str) -> str:
    """Return one line in logical order from the pieces pypdf drew left to right."""
    line = "".join(pieces)
    if not right_to_left(line, language):
        return line
    # Arabic pieces come out already reversed into logical order: turn them back into drawing order.
    visual = "".join(piece[::-1] if any(_is_arabic(c) for c in piece) else piece for piece in pieces)
    logical = logical_line(visual)
    if reads_reversed(logical):
        # Drawn glyph by glyph: pypdf could not tell the Arabic pieces, which are still in drawing order.
        logical = logical_line(line)
    return logical


def logical_line(visual: str) -> str:
    """Return a right-to-left line drawn left to right in logical order.

    The line is read from its right end; runs of left-to-right text in it (numbers, Latin words with
    the spaces and punctuation between them) are kept in their own order.
    """
    reversed_line = visual[::-1]
    return _LTR_RUN.sub(lambda match: match.group(0)[::-1], reversed_line)


# A run of left-to-right text: from a Latin letter or digit to the last one before the next Arabic letter.
_LTR_RUN = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9]"
    r"(?:[^\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]*[0-9A-Za-z\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9])?"
)

_WORD = re.compile(r"[\u0621-\u064a]{2,}")


def reads_reversed(text: str) -> bool:
    """Whether Arabic words in text read backwards (a PDF drawn glyph by glyph in visual order).

    Tāʾ marbūṭa (ة) ends words and the article (ال) opens them; read backwards, words start with ة
    and end with لا. The clues are counted both ways and the larger count wins.
    """
    words = _WORD.findall(text)
    forward = sum(1 for w in words if w.endswith("ة") or w.startswith("ال"))
    backward = sum(1 for w in words if w.startswith("ة") or w.endswith("لا"))
    return backward > forward


# Word documents ---------------------------------------------------------------------------------


def check_zip(data: bytes) -> None:
    """Refuse a Word file that would unpack to too much (a bomb) or carries a DTD (a damaged file for us)."""
    try:
        zips.check_zip(data, zips.ZipLimits.from_settings())
    except zips.ZipRefused as refusal:
        raise Refusal(Reason.ZIP_BOMB if refusal.problem == zips.ZipProblem.BOMB else Reason.CORRUPT) from None


def _docx_text(data: bytes) -> str:
    check_zip(data)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_lines(item))
            else:
                blocks.append(item.text)
    except Exception:  # a damaged document fails in many ways inside the parser: all of them mean "corrupt"
        raise Refusal(Reason.CORRUPT) from None
    return "\n".join(blocks)


def _table_lines(table: object) -> list[str]:
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = []
        for cell in row.cells:
            inner = [p.text for p in cell.paragraphs]
            inner += [line for nested in cell.tables for line in _table_lines(nested)]
            cells.append(" ".join(part for part in inner if part.strip()))
        lines.append("\t".join(cells))
    return lines


# HTML -------------------------------------------------------------------------------------------

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "main", "nav", "aside",
    "title", "figcaption", "caption",
}  # fmt: skip
_HIDDEN = {"script", "style", "template", "noscript", "head", "object", "iframe", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "body":
            self.hidden = 0  # a head left open ends where the body starts
        elif tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(markup: str) -> str:
    """Return the text of an HTML page: no scripts or styles, a line per block."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = [re.sub(r"[ ]*\t[ ]*", "\t", line).strip(" ") for line in "".join(parser.parts).split("\n")]
    return "\n".join(line.strip("\t") for line in lines if line.strip())
