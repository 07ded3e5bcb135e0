"""Reminders of what is due: missing monthly updates and decisions falling due."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from masar.accounts.models import User
from masar.core.policy import Reader, coordinators_of, national_unit, reviewers_of
from masar.delivery.models import Notification
from masar.delivery.notifications import notify
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

DECISION_WARNING_DAYS = 14


def reminders_send(*, today=None):
    """Remind people of what is due: missing monthly updates and decisions falling due.

    Idempotent: each reminder has a key, so running it twice a day sends nothing new.
    Return (update reminders, decision reminders) sent.
    """
    from masar.decisions.models import DecisionStatus
    from masar.decisions.selectors import decisions_with_status
    from masar.delivery.configuration import settings_in_force
    from masar.delivery.selectors import missing_updates, reminders_due

    today = today or timezone.localdate()
    system = Reader.system()
    update_count = decision_count = 0
    if reminders_due(today, settings_in_force().update_due_day):
        projects, period = missing_updates(system, today)
        for project in projects.select_related("owner", "manager"):
            users = User.objects.filter(pk=project.manager_id) if project.manager_id else reviewers_of(project)
            update_count += len(
                notify(
                    users=users,
                    kind=Notification.Kind.UPDATE_DUE,
                    params={"project": project.code, "period": period.strftime("%Y-%m")},
                    url=reverse("delivery-update-create", args=[project.pk]),
                    key=f"update-due:{project.pk}:{period:%Y-%m}",
                    subject=project,
                )
            )
    horizon = today + datetime.timedelta(days=DECISION_WARNING_DAYS)
    due = decisions_with_status(system, today).filter(due_date__lte=horizon).exclude(status=DecisionStatus.DONE)
    for decision in due.select_related("responsible"):
        users = coordinators_of(decision.responsible)
        decision_count += len(
            notify(
                users=User.objects.filter(Q(pk__in=users) | Q(pk__in=national_unit())),
                kind=Notification.Kind.DECISION_DUE,
                params={"decision_id": decision.pk, "due": decision.due_date.isoformat()},
                url=reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}",
                key=f"decision-due:{decision.pk}:{decision.due_date.isoformat()}",
                subject=decision,
            )
        )
        emit(EventType.DECISION_FALLING_DUE, decision, key=f"decision-due:{decision.pk}:{decision.due_date}")
    return update_count, decision_count
