"""Errors as RFC 9457 problem details (`application/problem+json`), in the language of `Accept-Language`."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from masar.core.errors import DomainError, Invalid, StaleEditError, http_status

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger("masar.api")


class ProblemField(Schema):
    """One problem with one part of the request."""

    pointer: str  # where: "body.planned_end", "query.limit", "row 12, column period"
    detail: str


class Problem(Schema):
    """An error, per RFC 9457."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemField] | None = None


class PreconditionRequired(Exception):
    """A change came without `If-Match`: the API never overwrites a record blind (HTTP 428)."""


class PreconditionFailed(Exception):
    """`If-Match` names another version than the record's (HTTP 412)."""


class PayloadTooLarge(Exception):
    """The request body is over the limit (HTTP 413)."""


def problem(
    request: HttpRequest | None, status: int, code: str, title: str, detail: str = "", **extra: Any
) -> JsonResponse:
    """Return a problem-details response."""
    body: dict[str, Any] = {
        "type": "about:blank" if code == "" else f"urn:masar:problem:{code}",
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update({k: v for k, v in extra.items() if v is not None})
    return JsonResponse(body, status=status, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False})


def _pointer(loc: Any) -> str:
    parts = [str(part) for part in loc] if isinstance(loc, list | tuple) else [str(loc)]
    if len(parts) > 2 and parts[0] == "body" and parts[1] in ("body", "data"):
        parts.pop(1)  # the handler's parameter name says nothing to a caller
    return ".".join(parts)


def _validation_errors(exc: NinjaValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors:
        kind = error.get("type", "")
        if kind == "extra_forbidden":
            detail = _("This field is not part of the request: remove it.")
        elif kind == "missing":
            detail = _("This field is required.")
        elif kind == "json_invalid":
            detail = _("The body is not valid JSON.")
        else:
            detail = _("This value is not valid: %(reason)s") % {"reason": error.get("msg", "")}
        errors.append({"pointer": _pointer(error.get("loc", ())), "detail": str(detail)})
    return errors


def _django_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"pointer": f"body.{field}", "detail": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"pointer": "body", "detail": str(message)} for message in exc.messages]


def install(api: Any) -> None:
    """Answer every error of the API as problem details."""

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc):
        return problem(
            request,
            422,
            "invalid-request",
            _("The request is not valid"),
            _("Nothing was saved: correct the fields listed."),
            errors=_validation_errors(exc),
        )

    @api.exception_handler(DjangoValidationError)
    def invalid_record(request, exc):
        return problem(
            request,
            422,
            "invalid-record",
            _("The record is not valid"),
            _("Nothing was saved: correct the fields listed."),
            errors=_django_errors(exc),
        )

    @api.exception_handler(StaleEditError)
    def stale(request, exc):
        return problem(
            request,
            412,
            "stale-version",
            _("The record changed since your version"),
            _("Nothing was saved: read the record again (its version is now %(version)s), then send your change.")
            % {"version": exc.instance.version},
        )

    @api.exception_handler(DomainError)
    def refused(request, exc):
        errors = None
        if isinstance(exc, Invalid) and exc.errors:
            errors = [{"pointer": f"body.{f}" if f else "body", "detail": str(m)} for f, m in exc.errors]
        status = http_status(exc)
        return problem(
            request, status, type(exc).__name__.lower(), _refusal_title(status), str(exc.message), errors=errors
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return problem(request, 403, "forbidden", _("Not permitted"), str(exc) or _("You may not read or change this."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = problem(
            request,
            401,
            "unauthenticated",
            _("A valid token is needed"),
            _("Send a token that is neither expired nor revoked: Authorization: Bearer <token>."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="masar"'
        return response

    for kind, answer in FIXED.items():
        api.add_exception_handler(kind, _fixed(*answer))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # the only one django-ninja raises itself: a body it cannot parse
            return problem(
                request,
                400,
                "malformed-body",
                _("The body cannot be read"),
                _("Send one JSON object, in UTF-8, as the operation documents it."),
            )
        return problem(request, exc.status_code, "", str(exc.message))


# Errors whose answer says the same whatever the call: (status, code, title, detail).
FIXED: dict[type[Exception], tuple[int, str, Any, Any]] = {
    Http404: (404, "not-found", _lazy("Not found"), _lazy("There is no such record, or you may not read it.")),
    Throttled: (429, "throttled", _lazy("Too many requests"), _lazy("Wait before calling again (see Retry-After).")),
    PreconditionRequired: (
        428,
        "if-match-required",
        _lazy("If-Match is required"),
        _lazy("Send the ETag of the version you read in If-Match: the API never overwrites a record blind."),
    ),
    PreconditionFailed: (
        412,
        "stale-version",
        _lazy("The record changed since your version"),
        _lazy("Nothing was saved: read the record again, then send your change with its new ETag."),
    ),
    Exception: (
        500,
        "server-error",
        _lazy("Masar could not answer"),
        _lazy("An error on Masar's side stopped this call; nothing was saved. It is logged; try again later."),
    ),
}


def _fixed(status: int, code: str, title: Any, detail: Any) -> Any:
    def answer(request: HttpRequest, exc: Exception) -> JsonResponse:
        if status >= 500:
            logger.exception("API call failed: %s %s", request.method, request.path, exc_info=exc)
        return problem(request, status, code, str(title), str(detail))

    return answer


def _refusal_title(status: int) -> str:
    if status == 403:
        return _("Not permitted")
    if status == 409:
        return _("Conflict")
    return _("The request was refused")


# The error responses every operation may answer, documented once in the OpenAPI document.
ERRORS: dict[int, Any] = {status: Problem for status in (400, 401, 403, 404, 409, 412, 413, 422, 428, 429)}
