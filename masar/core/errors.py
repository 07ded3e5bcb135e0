"""Domain errors raised by services, each with a message a person can read."""

from django.utils.translation import gettext_lazy as _


class LinkedMessage(str):
    """An error message that names a record, with the address where that record is opened.

    It is a plain string wherever it travels (uploads, exports); a form's field renders the link.
    """

    url: str = ""
    link_text: str = ""

    def __new__(cls, text, *, url, link_text):
        message = super().__new__(cls, text)
        message.url = url
        message.link_text = str(link_text)
        return message


class DomainError(Exception):
    default_message = _("The action could not be completed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class StaleEditError(DomainError):
    """The record changed since the form was opened; the changes made meanwhile travel along."""

    default_message = _(
        "Someone else changed this record after you opened it. Your changes were not saved: "
        "review what changed below, then edit again."
    )

    def __init__(self, *, instance, expected_version, changes_since=()):
        self.instance = instance
        self.expected_version = expected_version
        self.changes_since = list(changes_since)
        super().__init__()


# The vocabulary every door maps once: pages to a message (and 403/409/400), the API to a status code.


class NotPermitted(DomainError):
    """The reader may not do this (HTTP 403)."""

    default_message = _("You may not do this.")


class Conflict(DomainError):
    """The record is no longer in the state the action expects: someone acted first (HTTP 409)."""

    default_message = _("This record has moved on since you opened it; reload the page to see where it stands.")


class Locked(DomainError):
    """The record is approved and locked (HTTP 409)."""

    default_message = _("This record is approved and locked: it can no longer be changed.")


class Invalid(DomainError):
    """The input broke one or more rules; errors is a list of (field or None, message) (HTTP 400)."""

    default_message = _("Nothing was saved: correct what is shown below.")

    def __init__(self, errors=(), message=None):
        self.errors = list(errors)
        super().__init__(message)


def http_status(error: DomainError) -> int:
    """Return the HTTP status a page (or the API) answers a domain error with: the vocabulary mapped once."""
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, Conflict | Locked | StaleEditError):
        return 409
    return 400
