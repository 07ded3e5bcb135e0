"""Pages: read a text (pasted or from the library) into a draft beside its source, and accept the reviewed draft."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.core.errors import DomainError, http_status
from masar.core.models import Classification
from masar.core.pages import refusal_text
from masar.documents.models import Document
from masar.intake import MAX_CHARS
from masar.intake.decisions import decision_details
from masar.intake.extract import Notice, read
from masar.intake.kinds import Kind
from masar.intake.provenance import locate
from masar.intake_review import services
from masar.intake_review.drafts import (
    EXTRA_ROWS,
    KIND_LABELS,
    SLOTS,
    draft_from_form,
    draft_of,
    rows_of,
    segments,
)
from masar.intake_review.forms import TextForm
from masar.intake_review.selectors import (
    NEW,
    key_of,
    organization_by_label,
    organization_choices,
    record_for,
    review_matches,
)


def _readable(request: HttpRequest) -> None:
    if not policy.may_read_texts(request.reader):
        raise PermissionDenied


def _review(
    request: HttpRequest, text: str, draft: dict[str, Any], document: Document | None, choices: Any = None, status=200
) -> HttpResponse:
    """Render the source beside the draft; nothing is written."""
    matches = review_matches(request.reader, draft, choices)
    seen = {c.key: c.version for match in matches.values() for c in match.candidates}
    if document is not None:
        seen[key_of(document)] = document.version
    chosen = {path: (choices or {}).get(path, match.suggested) for path, match in matches.items()}
    shows_decisions = draft.get("decisions") or draft.get("body") or draft.get("kind") == Kind.DECISIONS
    organizations = organization_choices() if shows_decisions else []
    labels = dict(organizations)
    rows = rows_of(draft)
    for key, listed in rows.items():
        for row in listed:
            path = f"{row['path']}.responsible" if key == "decisions" else row["path"]
            picked = chosen.get(path, "")
            row.update(field=f"{key}-{row['row']}", match=matches.get(path), chosen=picked)
            if key == "decisions":
                # The organization responsible is typed or picked by its name; a key never shows.
                row["chosen_label"] = "" if picked == NEW else labels.get(picked, picked)
                row["figures"] = decision_details(row["name"])["figures"] if row.get("name") else []
    extra = {key: [f"{key}-{len(listed) + n}" for n in range(EXTRA_ROWS)] for key, listed in rows.items()}
    context = {
        "text": text,
        "pieces": segments(text, locate(text, draft)),
        "draft": draft,
        "rows": rows,
        "extra": extra,
        "slots": {slot: (matches.get(slot), chosen.get(slot, "")) for slot in SLOTS},
        "kinds": [(kind.value, label) for kind, label in KIND_LABELS.items()],
        "classifications": Classification.choices,
        "new": NEW,
        "organizations": organizations,
        "seen": json.dumps(seen),
        "document": document,
        "may_accept": policy.may_accept_draft(request.reader),
        "both": bool(draft.get("decisions")) and bool(draft.get("name") or draft.get("organization")),
    }
    return render(request, "intake_review/review.html", context, status=status)


def _too_big(request: HttpRequest) -> HttpResponse:
    messages.error(
        request, _("The text is too long: Masar reads up to %(limit)s characters at a time.") % {"limit": MAX_CHARS}
    )
    form = TextForm(reader=request.reader)
    return render(request, "intake_review/start.html", {"form": form, "limit": MAX_CHARS}, status=413)


def _notice_message(notice: dict[str, Any]) -> str:
    """Say what the reviewer should know of the text: several official texts in one, or nothing recognized."""
    if notice["code"] is Notice.SEVERAL_TEXTS:
        return _(
            "The text holds %(count)s official texts: only the first was read, and its draft is below. Paste the "
            "others one at a time."
        ) % {"count": notice["texts"]}
    return _("No mandate, strategy or decision was recognized in this text: check the draft against the text.")


@login_required
def intake_start(request: HttpRequest) -> HttpResponse:
    """Take a text to read (pasted, or ?document= from the library) and show the draft Masar reads from it."""
    _readable(request)
    try:
        data = request.POST if request.method == "POST" else (request.GET if "document" in request.GET else None)
    except RequestDataTooBig:
        return _too_big(request)
    form = TextForm(data, reader=request.reader)
    if data is not None and form.is_valid():
        text = form.cleaned_data["source"]
        for notice in read(text)[1]:
            messages.warning(request, _notice_message(notice))
        return _review(request, text, draft_of(text), form.cleaned_data["document"])
    status = 400 if data is not None else 200
    if form.has_error("__all__", "too_long"):
        status = 413
    return render(request, "intake_review/start.html", {"form": form, "limit": MAX_CHARS}, status=status)


@login_required
@require_POST
def intake_accept(request: HttpRequest) -> HttpResponse:
    """Accept the reviewed draft: everything it says is created or reused, in one transaction, or nothing is."""
    _readable(request)
    try:
        post = request.POST
    except RequestDataTooBig:
        return _too_big(request)
    draft, choices = draft_from_form(post)
    if draft["decisions"]:
        organizations = organization_choices()
        for path, written in choices.items():
            if path.endswith(".responsible"):
                choices[path] = organization_by_label(written, organizations)
    document = record_for(request.reader, str(post.get("document") or ""))
    document = document if isinstance(document, Document) else None
    text = document.text if document is not None else str(post.get("text") or "")
    if len(text) > MAX_CHARS:
        return _too_big(request)
    try:
        seen = {str(key): int(value) for key, value in json.loads(post.get("seen") or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        seen = {}
    try:
        accepted = services.draft_accept(
            actor=request.user,
            draft=draft,
            choices=choices,
            seen=seen,
            classification=str(post.get("classification") or ""),
            document=document,
            text=text,
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
        return _review(request, text, draft, document, choices, status=403)
    except DomainError as error:
        messages.error(request, refusal_text(error))
        return _review(request, text, draft, document, choices, status=http_status(error))
    messages.success(
        request,
        _("The draft was accepted. Records created: %(created)s; already in Masar and reused: %(reused)s.")
        % {"created": len(accepted.created), "reused": len(accepted.reused)},
    )
    for note in accepted.noted:
        messages.info(request, note)
    assert accepted.document is not None
    return redirect("documents-document-detail", pk=accepted.document.pk)
