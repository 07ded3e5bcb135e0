"""Reading official Arabic texts: a text in, the draft Masar proposes out (nothing is created)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from masar.api.problems import ERRORS, problem
from masar.api.references import reader_of
from masar.core import policy
from masar.core.errors import Invalid, NotPermitted
from masar.intake import MAX_CHARS
from masar.intake.extract import Notice, read

router = Router(tags=["intake"])


class TextIn(Schema):
    text: str = Field(..., description="The official text as plain text (Arabic, or French)")


@router.post("/intake/extract/", response={200: dict[str, Any], **ERRORS}, summary="Read an official text")
def intake_extract(request: HttpRequest, response: HttpResponse, payload: TextIn) -> Any:
    """Return what the text is (a mandate, a strategy or decisions) and what it states, for a person to review.

    Keys that do not apply to the kind are null; amounts carry ISO 4217 currency codes. Nothing is saved.
    The `Masar-Notice` header says what the caller should know: several official texts pasted together (only the
    first is read), or a text in which nothing was recognized.
    """
    if not policy.may_read_texts(reader_of(request)):
        raise NotPermitted()
    text = payload.text or ""
    if len(text) > MAX_CHARS:
        return too_long(request, text)
    if not text.strip():
        raise Invalid([("text", _("The text is empty: paste the official text to read."))])
    result, notices = read(text)
    if notices:
        # The contract's body stays as written; what the caller should know goes in a header (codes, ASCII).
        response.headers["Masar-Notice"] = ", ".join(notice_code(notice) for notice in notices)
    return result


def too_long(request: HttpRequest, text: str) -> HttpResponse:
    """Answer 413 with the limit to a text longer than Masar reads at once (the intake and the fact-check)."""
    detail = _("The text has %(count)s characters; Masar reads up to %(limit)s at a time.") % {
        "count": len(text),
        "limit": MAX_CHARS,
    }
    return problem(request, 413, "payload-too-large", _("The text is too long."), detail)


def notice_code(notice: dict[str, Any]) -> str:
    """Return a notice as a header value: its code and figures ("several_texts; texts=2; read=0-250")."""
    if notice["code"] is Notice.SEVERAL_TEXTS:
        read_span = notice["read"]
        return f"several_texts; texts={notice['texts']}; read={read_span['start']}-{read_span['end']}"
    return str(notice["code"])
