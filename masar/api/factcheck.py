"""The fact-check of a news item or a communiqué against Masar's data: a text in, its claims and verdicts out.

Anonymous callers are welcome and read as the public; a caller with a bearer token reads what that token may read
(the same policy as every other door). A token that is sent but not valid is refused (401), never read as public.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from masar.api.auth import TokenAuth
from masar.api.intake import too_long
from masar.api.problems import ERRORS
from masar.api.references import reader_of
from masar.core.errors import Invalid
from masar.core.policy import Reader
from masar.factcheck.check import text_check
from masar.intake import MAX_CHARS

router = Router(tags=["fact-check"])


class PublicCaller:
    """No `Authorization` header at all: the caller reads as the public."""

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        request.reader = Reader.public()  # type: ignore[attr-defined]
        return True


class TextIn(Schema):
    text: str = Field(..., description="The news item or communiqué as plain text (Arabic, or French)")


class ClaimOut(Schema):
    text: str = Field(..., description="The claim as written: text[start:end] of the text sent")
    start: int = Field(..., description="Offset of its first character (Python str offsets, i.e. code points)")
    end: int
    verdict: str = Field(..., description="consistent, contradicted or unverifiable")
    platform_value: int | float | str | None = Field(
        ..., description="Masar's figure: a number, a year, a YYYY-MM-DD date, a YYYY-YYYY period; null if none"
    )
    url: str | None = Field(..., description="The public page of the record compared (absolute), or null")


class FactcheckOut(Schema):
    claims: list[ClaimOut]


@router.post(
    "/factcheck/",
    response={200: FactcheckOut, **ERRORS},
    auth=[TokenAuth(), PublicCaller()],
    summary="Check a text's figures against Masar",
)
def factcheck(request: HttpRequest, payload: TextIn) -> Any:
    """Return the text's claims (figures, counts, years, percentages, amounts), each consistent, contradicted (with
    Masar's figure and the page of the record) or unverifiable, as the caller may read Masar. Nothing is saved."""
    text = payload.text or ""
    if len(text) > MAX_CHARS:
        return too_long(request, text)
    if not text.strip():
        raise Invalid([("text", _("The text is empty: paste the news item or communiqué to check."))])
    return {
        "claims": [
            {
                "text": checked.claim.text,
                "start": checked.claim.start,
                "end": checked.claim.end,
                "verdict": str(checked.verdict),
                "platform_value": checked.platform_value,
                "url": request.build_absolute_uri(checked.path) if checked.path else None,
            }
            for checked in text_check(reader_of(request), text)
        ]
    }
