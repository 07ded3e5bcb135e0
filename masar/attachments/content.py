"""Recognize an attached file's kind from its bytes, never from its name alone.

Accepted: PDF, PNG, JPEG, and office documents: Word, Excel and PowerPoint (OOXML: a zip whose
`[Content_Types].xml` names the main part) and OpenDocument text and spreadsheets (a zip whose
first member `mimetype` names the kind). Anything else, an executable or an HTML page named
`.pdf` included, is not recognized.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
PNG = FileKind("image/png", (".png",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS)
ZIPPED = (DOCX, XLSX, PPTX, ODT, ODS)  # checked by the shared bounded zip reader before they are kept

_OOXML_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_MAX_CONTENT_TYPES_BYTES = 1_000_000


def kind_for_name(name: str) -> FileKind | None:
    """Return the kind a file's name claims, from its extension."""
    lowered = name.lower()
    return next((kind for kind in KINDS if lowered.endswith(kind.extensions)), None)


def _zip_kind(stream: IO[bytes]) -> FileKind | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype").strip()
                return next((k for k in (ODT, ODS) if declared == k.content_type.encode()), None)
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                    return None
                types = archive.read(info)
                found = [kind for kind, part in _OOXML_MAIN_PARTS.items() if part in types]
                return found[0] if len(found) == 1 else None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def detect(stream: IO[bytes]) -> FileKind | None:
    """Return the kind of the file's content, or None when it is none of the accepted kinds."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream)
        stream.seek(0)
        return kind
    return None
