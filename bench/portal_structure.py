"""The structure of the portal benchmark's catalogue: the government, its ministries and their directorates, the
life events and categories, and a national program whose projects digitize services."""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bench.bulk import Writer, next_id
from bench.portal_words import CATEGORIES, CENTRAL_UNITS, LIFE_EVENTS, MINISTRIES, REGIONAL_UNIT, REGIONS

PREFIX = "BPO"
SOURCE = "synthetic (bench.portal)"


@dataclass(frozen=True)
class Sizes:
    services: int = 5_000
    organizations: int = 500
    months: int = 120

    @property
    def ministries(self) -> int:
        return min(len(MINISTRIES), max(2, self.organizations // 20))

    @property
    def projects(self) -> int:
        return max(10, self.services // 12)


def trio(prefix: str, values: Sequence[str]) -> dict[str, str]:
    return {f"{prefix}_ar": values[0], f"{prefix}_fr": values[1], f"{prefix}_en": values[2]}


def organizations(writer: Writer, sizes: Sizes, rng: random.Random) -> dict[str, dict]:
    """Write the government, its ministries and their directorates; return each ministry's ids by its code."""
    from masar.organizations.models import Organization, OrganizationKind

    pk = next_id(Organization)
    rows = []

    def add(parent: tuple[int, str] | None, kind: str, code: str, order: int, names: Sequence[str]):
        nonlocal pk
        path = f"{parent[1] if parent else '/'}{pk}/"
        parent_id = parent[0] if parent else None
        rows.append((pk, parent_id, f"{PREFIX}-{code}", kind, order, path, path.count("/") - 2, *names, True, SOURCE))
        pk += 1
        return pk - 1, path

    government = add(None, OrganizationKind.GOVERNMENT, "GOV", 0, ("الحكومة", "Gouvernement", "Government"))
    per_ministry = max(1, math.ceil((sizes.organizations - 1 - sizes.ministries) / sizes.ministries))
    ministries: dict[str, dict] = {}
    for number, (code, names, *_rest) in enumerate(MINISTRIES[: sizes.ministries], start=1):
        ministry = add(government, OrganizationKind.MINISTRY, code, number, names)
        units = []
        for n in range(per_ministry):
            if n < len(CENTRAL_UNITS):
                kind, unit_names = OrganizationKind.DIRECTORATE, CENTRAL_UNITS[n]
            else:
                region = REGIONS[(n - len(CENTRAL_UNITS) + number) % len(REGIONS)]
                kind, unit_names = OrganizationKind.DECONCENTRATED, [f"{REGIONAL_UNIT[i]}{region[i]}" for i in range(3)]
            units.append(add(ministry, kind, f"{code}-{n:02d}", n, unit_names)[0])
        ministries[code] = {"id": ministry[0], "units": units}
    names = ("id", "parent_id", "code", "kind", "order", "path", "depth", "name_ar", "name_fr", "name_en")
    writer.write(Organization, (*names, "is_sample", "source"), rows)
    return ministries


def vocabularies(writer: Writer) -> tuple[dict[str, int], dict[str, int]]:
    """Write the life events and the categories; return their ids by code."""
    from masar.catalogue.models import LifeEvent, ServiceCategory

    ids = []
    for model, entries in ((LifeEvent, LIFE_EVENTS), (ServiceCategory, CATEGORIES)):
        first = next_id(model)
        rows = [(first + n, f"{PREFIX}-{code}", n, *names) for n, (code, names) in enumerate(entries)]
        writer.write(model, ("id", "code", "order", "name_ar", "name_fr", "name_en"), rows)
        ids.append({code: first + n for n, (code, _names) in enumerate(entries)})
    return ids[0], ids[1]


def program_and_projects(sizes: Sizes, rng: random.Random, owners: list[int]) -> list[tuple[int, int]]:
    """Create a national program and its projects (60 % public); return (project id, owner id) pairs."""
    from masar.core.models import Classification
    from masar.portfolio.models import Project, ProjectStatus
    from masar.portfolio.services import search_text_of
    from masar.strategy.models import Axis, Program, Strategy, StrategyKind

    provenance = {"is_sample": True, "source": SOURCE}
    strategy = Strategy.objects.create(
        code=f"{PREFIX}-S1",
        kind=StrategyKind.PROGRAM,
        owner_id=owners[0],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        name_ar="البرنامج الوطني لرقمنة الخدمات الإدارية",
        name_fr="Programme national de numérisation des services administratifs",
        name_en="National programme for digitizing administrative services",
        classification=Classification.PUBLIC,
        **provenance,
    )
    axis = Axis.objects.create(strategy=strategy, order=1, name_ar="رقمنة الخدمات", **provenance)
    program = Program.objects.create(strategy=strategy, axis=axis, order=1, code=f"{PREFIX}-PG1", name_ar="الخدمات")
    projects = []
    for n in range(sizes.projects):
        begin = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        project = Project(
            code=f"{PREFIX}-P{n:05d}",
            owner_id=rng.choice(owners),
            strategy=strategy,
            axis=axis,
            program=program,
            name_ar=f"رقمنة الخدمات الإدارية — المرحلة {n + 1}",
            name_fr=f"Numérisation des services administratifs — phase {n + 1}",
            name_en=f"Digitizing administrative services — phase {n + 1}",
            planned_start=begin,
            planned_end=begin + datetime.timedelta(days=rng.randint(300, 900)),
            planned_budget=Decimal(rng.randint(50, 5_000) * 1000),
            status=rng.choice([ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED]),
            classification=Classification.PUBLIC if rng.random() < 0.6 else Classification.RESTRICTED,
            **provenance,
        )
        project.search_text = search_text_of(project)
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=1000)
    return [(p.pk, p.owner_id) for p in Project.objects.filter(strategy=strategy).order_by("pk")]
