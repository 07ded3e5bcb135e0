"""The request id of the work in hand: set per request by the middleware and per job by the worker.

Logs, the audit trail and the jobs a request enqueues read it here, so one id follows an action from the
browser through the worker to the trail.
"""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("masar_request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request or job being handled, or "" outside any (a shell, a migration)."""
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    """Make value the current id; pass the token to reset_request_id when the work is done."""
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
