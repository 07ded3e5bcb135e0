"""Projects for tests, written through the services like real ones."""

import datetime

from masar.core.models import Classification
from masar.portfolio.services import project_create


def make_project(code, owner, axis, *, classification=Classification.PUBLIC, manager=None, **extra):
    data = dict(
        code=code,
        name_ar=f"مشروع {code}",
        owner=owner,
        axis=axis,
        classification=classification,
        planned_start=datetime.date(2025, 1, 1),
        planned_end=datetime.date(2026, 6, 30),
        manager=manager,
    )
    data.update(extra)
    return project_create(actor=None, **data)
