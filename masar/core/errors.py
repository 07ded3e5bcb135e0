"""Domain errors raised by services, each with a message a person can read."""

from django.utils.translation import gettext_lazy as _


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
