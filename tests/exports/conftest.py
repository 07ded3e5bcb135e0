import datetime
from decimal import Decimal

import pytest

from masar.core.models import Classification
from masar.core.services import model_create
from masar.delivery.models import Obstacle
from masar.delivery.services.ratings import project_health_refresh
from tests.portfolio.factories import make_project


@pytest.fixture
def projects(ministry_a, ministry_b, axis, manager_a):
    """One project at each level in ministry A, and a confidential one in ministry B."""
    made = {
        "P-PUB": make_project(
            "P-PUB",
            ministry_a,
            axis,
            name_fr="Projet public",
            status="in_progress",
            planned_budget=Decimal("150000.50"),
            planned_start=datetime.date(2025, 3, 1),
        ),
        "P-RES": make_project("P-RES", ministry_a, axis, classification=Classification.RESTRICTED),
        "P-CONF": make_project(
            "P-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL, manager=manager_a
        ),
        "P-B-CONF": make_project("P-B-CONF", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }
    project_health_refresh(project=made["P-PUB"], today=datetime.date(2026, 5, 12))
    return made


@pytest.fixture
def obstacles(projects, ministry_a):
    def report(project, category, severity, description, classification=Classification.RESTRICTED):
        return model_create(
            model=Obstacle,
            actor=None,
            data=dict(
                project=projects[project],
                category=category,
                severity=severity,
                description=description,
                must_act=ministry_a,
                due_date=datetime.date(2026, 7, 1),
                classification=classification,
            ),
        )

    return [
        report("P-PUB", "legal", "high", "قانون غائب"),
        # Obstacles are internal material; this one the national unit chose to publish.
        report("P-PUB", "technical", "low", "serveur lent", Classification.PUBLIC),
        report("P-RES", "funding", "critical", "تمويل متأخر"),
        report("P-CONF", "legal", "high", "confidential obstacle"),
        report("P-B-CONF", "legal", "high", "other ministry obstacle"),
    ]
