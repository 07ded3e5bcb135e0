"""Check a zip-based upload (XLSX, DOCX) before any parser opens it: one bounded reader for every door.

A zip states each member's unpacked size in its directory, and Python's zipfile refuses a member
that unpacks to more than it states (a CRC error): the sum of the stated sizes is a real bound. A
file is refused when it would unpack to more than `max_unzipped_bytes`, holds more than
`max_members` members, or unpacks at a ratio only a bomb reaches. Its XML parts are then streamed
once, in chunks, without parsing: a part that declares a DTD (the door to entity expansion and
external entities; no office program writes one) or is not UTF-8 (a UTF-16 part would hide its
markup from this scan) is refused, and so is, when asked, a run of text longer than a cell may be,
so that one giant cell never reaches the parser's memory. openpyxl also parses through defusedxml
(installed, and picked up by openpyxl.xml.DEFUSEDXML): a DTD that slipped through is refused there.

No Django here; `ZipLimits.from_settings()` reads the limits of a deployment.
"""

from __future__ import annotations

import enum
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

CHUNK = 1024 * 1024
SMALL = 1024 * 1024  # below this unpacked size the ratio is not judged: tiny files compress well
BYTES_PER_CHAR = 6  # the longest a character is written in XML text: "&quot;" (a UTF-8 character takes at most 4)


class ZipProblem(enum.Enum):
    CORRUPT = "corrupt"
    BOMB = "bomb"
    MARKUP = "markup"
    CELL_TOO_LONG = "cell_too_long"


class ZipRefused(Exception):
    """The archive cannot be opened safely; `problem` says why (each door words it in its own message)."""

    def __init__(self, problem: ZipProblem):
        self.problem = problem
        super().__init__(problem.value)


@dataclass(frozen=True)
class ZipLimits:
    max_unzipped_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 100
    max_members: int = 2000

    @classmethod
    def from_settings(cls) -> ZipLimits:
        """Return the limits set for this deployment (UPLOAD_MAX_UNZIPPED_MB, UPLOAD_MAX_ZIP_RATIO, ...)."""
        from django.conf import settings

        return cls(
            max_unzipped_bytes=int(settings.UPLOAD_MAX_UNZIPPED_MB) * 1024 * 1024,
            max_ratio=int(settings.UPLOAD_MAX_ZIP_RATIO),
            max_members=int(settings.UPLOAD_MAX_ZIP_MEMBERS),
        )


def check_zip(data: bytes, limits: ZipLimits, *, max_text_chars: int | None = None, scan_xml: bool = True) -> None:
    """Refuse an archive that would unpack to too much or carries unsafe XML; return when it may be parsed.

    max_text_chars: the longest run of text (between two tags) allowed in an XML part, in characters.
    scan_xml: False for a file kept as it is and never parsed here (an attachment): sizes only.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_sizes(members, limits)
            for member in members if scan_xml else ():
                with archive.open(member) as stream:
                    head = stream.read(CHUNK)
                    if _is_markup(member.filename, head):
                        _scan_xml(head, stream, max_text_chars)
    except ZipRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError, zlib.error):
        # a damaged archive, an encrypted member, an unknown compression, a member that outgrows its stated size
        raise ZipRefused(ZipProblem.CORRUPT) from None


def _check_sizes(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_members:
        raise ZipRefused(ZipProblem.BOMB)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > limits.max_unzipped_bytes or (unpacked > SMALL and unpacked / packed > limits.max_ratio):
        raise ZipRefused(ZipProblem.BOMB)


# "<" in UTF-16 and UTF-32, with or without a byte-order mark: markup this scan could not read.
_WIDE = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\x00<", b"\x00\x00\xfe\xff")


def _is_markup(name: str, head: bytes) -> bool:
    """Whether a member is XML (whatever its name: a workbook may point to any part), by its name or first bytes."""
    if head.startswith(_WIDE):
        raise ZipRefused(ZipProblem.MARKUP)  # UTF-16 or UTF-32: its markup would escape this scan
    return name.lower().endswith((".xml", ".rels", ".vml")) or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _scan_xml(head: bytes, stream: IO[bytes], max_text_chars: int | None) -> None:
    """Read one XML part in chunks: refuse a DTD, or a run of text too long for a cell."""
    limit = None if max_text_chars is None else max_text_chars * BYTES_PER_CHAR
    tail = b""  # the end of the previous chunk, so that a marker cut in two is still seen
    run = 0  # bytes since the last "<"
    chunk = head
    while chunk:
        if b"<!DOCTYPE" in tail + chunk[:16] or b"<!DOCTYPE" in chunk:
            raise ZipRefused(ZipProblem.MARKUP)
        if limit is not None:
            run = _longest_run(chunk, run, limit)
        tail = chunk[-16:]
        chunk = stream.read(CHUNK)


def _longest_run(chunk: bytes, run: int, limit: int) -> int:
    """Return the length of the run of bytes without "<" at the end of chunk; refuse one longer than limit."""
    parts = chunk.split(b"<")
    if len(parts) == 1:
        run += len(chunk)
    else:
        longest = max(run + len(parts[0]), max(map(len, parts[1:-1]), default=0))
        if longest > limit:
            raise ZipRefused(ZipProblem.CELL_TOO_LONG)
        run = len(parts[-1])
    if run > limit:
        raise ZipRefused(ZipProblem.CELL_TOO_LONG)
    return run
