"""The program of seed 003 as Masar would hold it, written through the services like real records."""

import datetime

from masar.core.models import Classification
from masar.core.services import model_create
from masar.strategy.models import Axis, Phase, Strategy, StrategyKind

AXES = (
    ("التحول الرقمي للإدارة", 99),
    ("تعزيز الاقتصاد الرقمي", 18),
    ("الأمن السيبراني والثقة الرقمية", 12),
    ("البنية التحتية الرقمية", 9),
)


def make_strategy(owner, code, name_ar, start, end, *, classification=Classification.PUBLIC, **extra):
    data = dict(
        kind=StrategyKind.PROGRAM,
        code=code,
        name_ar=name_ar,
        owner=owner,
        period_start=datetime.date(start, 1, 1),
        period_end=datetime.date(end, 12, 31),
        classification=classification,
    )
    data.update(extra)
    return model_create(model=Strategy, actor=None, data=data)


def make_program_2526(owner, *, classification=Classification.PUBLIC, axes=AXES, total=138):
    """Return the 2025-2026 program of seed 003 with its four axes and their planned projects."""
    program = make_strategy(
        owner,
        "P2526",
        "برنامج التحول الرقمي 2025-2026",
        2025,
        2026,
        classification=classification,
        planned_project_count=total,
    )
    for order, (name, planned) in enumerate(axes, start=1):
        model_create(
            model=Axis,
            actor=None,
            data=dict(strategy=program, order=order, name_ar=name, planned_project_count=planned),
        )
    return program


def make_phase(strategy, order, name_ar, start, end):
    return model_create(
        model=Phase,
        actor=None,
        data=dict(
            strategy=strategy,
            order=order,
            name_ar=name_ar,
            start=datetime.date(start, 1, 1),
            end=datetime.date(end, 12, 31),
        ),
    )
