"""Load the demo: what the source documents say, and a labelled sample portfolio around it.

Every domain record is written through its service, so it gets its audit entry. Records are
looked up by their code, or by (parent, order), before being created: loading twice creates
nothing the second time.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation

from masar.accounts.models import User
from masar.core.services import model_create
from masar.decisions.models import Decision, Meeting
from masar.demo.catalogue import catalogue_demo_load
from masar.demo.data import regions as region_data
from masar.demo.data import sample, sources
from masar.demo.delivery import delivery_demo_load
from masar.demo.documents import load_documents
from masar.demo.indicators import indicators_demo_load
from masar.demo.opendata import opendata_demo_load
from masar.demo.procurement import procurement_demo_load
from masar.organizations.models import Mission, Organization, OrganizationKind, Region, RegionKind
from masar.organizations.services import mission_create, organization_create, region_create
from masar.portfolio.models import Milestone, Project
from masar.portfolio.services import milestone_create, project_create
from masar.search.index import reindex
from masar.search.services import thesaurus_seed
from masar.strategy.models import Axis, Phase, Program, Strategy

if TYPE_CHECKING:
    from typing import Any

SAMPLE = {"is_sample": True, "source": sample.SOURCE}
NAMES = ("name_ar", "name_fr", "name_en")
DESCRIPTIONS = ("description_ar", "description_fr", "description_en")
STRATEGY_FIELDS = (
    *NAMES,
    *DESCRIPTIONS,
    "code",
    "kind",
    "period_start",
    "period_end",
    "adopted_on",
    "adopted_by_ar",
    "adopted_by_fr",
    "adopted_by_en",
    "planned_project_count",
    "classification",
)
PROJECT_FIELDS = (
    *NAMES,
    *DESCRIPTIONS,
    "code",
    "planned_start",
    "planned_end",
    "planned_budget",
    "currency",
    "funding_kind",
    "status",
    "classification",
)
# Document 003 names no organization responsible for its decisions: the demo assigns them to TN-MTC and
# labels that field sample (the due dates and projects concerned, set with the follow-up, are sample too).
DECISION_RESPONSIBLE = "TN-MTC"
DECISION_SOURCE = "seed 003"
DECISION_SAMPLE_FIELDS = ["responsible"]


@dataclass
class DemoResult:
    """What a load created (records per kind, in English) and the demo's sign-ins."""

    created: Counter = field(default_factory=Counter)
    users: list = field(default_factory=list)  # (username, role, organization code, organization name in English)
    password: str = sample.PASSWORD


def _texts(triple, prefix="name"):
    return dict(zip((f"{prefix}_ar", f"{prefix}_fr", f"{prefix}_en"), triple, strict=True))


def _pick(data, keys):
    return {key: data[key] for key in keys}


class _Loader:
    def __init__(self, stdout, today):
        self.out = stdout or io.StringIO()
        self.today = today
        self.result = DemoResult()
        self.organizations = {}
        self.regions = {}
        self.strategies = {}
        self.parts = {}  # (model, strategy code, order) -> axis, program or phase
        self.users = {}

    def ensure(self, model, lookup, create, /, **kwargs):
        """Return the record matching lookup; when there is none, call create(**kwargs) and count the new record."""
        found = model._default_manager.filter(**lookup).first()
        if found is not None:
            return found
        self.count(model)
        return create(**kwargs)

    def count(self, model):
        with translation.override("en"):
            self.result.created[str(model._meta.verbose_name_plural)] += 1

    def organization(self, *, code, parent, kind, order, names, provenance, missions=()):
        organization = self.ensure(
            Organization,
            {"code": code},
            organization_create,
            actor=None,
            code=code,
            parent=parent,
            kind=kind,
            order=order,
            **_texts(names),
            **provenance,
        )
        for number, text in enumerate(missions, start=1):
            self.ensure(
                Mission,
                {"organization": organization, "order": number},
                mission_create,
                actor=None,
                organization=organization,
                order=number,
                **_texts(text, "text"),
                **provenance,
            )
        self.organizations[code] = organization
        return organization

    def load_organizations(self):
        for data in sources.ORGANIZATIONS:
            self.organization(
                code=data["code"],
                parent=self.organizations.get(data["parent"]),
                kind=data["kind"],
                order=data["order"],
                names=[data[key] for key in NAMES],
                provenance={"is_sample": False, "source": data["source"]},
                missions=data["missions"],
            )
        government = self.organizations["TN-GOV"]
        for order, ministry in enumerate(sample.MINISTRIES, start=3):
            parent = self.organization(
                code=ministry["code"],
                parent=government,
                kind=OrganizationKind.MINISTRY,
                order=order,
                names=ministry["name"],
                provenance=SAMPLE,
            )
            for number, names in enumerate(ministry["directorates"], start=1):
                self.organization(
                    code=f"{ministry['code']}-D{number}",
                    parent=parent,
                    kind=OrganizationKind.DIRECTORATE,
                    order=number,
                    names=names,
                    provenance=SAMPLE,
                )

    def load_regions(self):
        for country in region_data.COUNTRIES:
            parent = self.regions[country["code"]] = self.ensure(
                Region,
                {"code": country["code"]},
                region_create,
                actor=None,
                code=country["code"],
                parent=None,
                kind=RegionKind.COUNTRY,
                source=region_data.SOURCE,
                **_pick(country, NAMES),
            )
            for code, *names in country["subdivisions"]:
                self.regions[code] = self.ensure(
                    Region,
                    {"code": code},
                    region_create,
                    actor=None,
                    code=code,
                    parent=parent,
                    kind=country["subdivision_kind"],
                    source=region_data.SOURCE,
                    **_texts(names),
                )

    def load_users(self):
        # Users are not audited domain records: create the missing ones, leave the others as they are.
        for username, role, organization_code, staff in sample.USERS:
            organization = self.organizations[organization_code]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    password=sample.PASSWORD,
                    role=role,
                    organization=organization,
                    is_staff=staff,
                    is_superuser=staff,
                )
                self.count(User)
            self.users[username] = user
            self.result.users.append((username, role, organization.code, organization.name_en))

    def part(self, model, strategy, order, data):
        part = self.ensure(
            model,
            {"strategy": strategy, "order": order},
            model_create,
            model=model,
            actor=None,
            data={"strategy": strategy, "order": order, **data},
        )
        self.parts[model, strategy.code, order] = part
        return part

    def load_strategies(self):
        for data in sources.STRATEGIES:
            provenance = {"is_sample": False, "source": data["source"]}
            fields = _pick(data, STRATEGY_FIELDS) | provenance
            fields |= {"owner": self.organizations[data["owner"]], "parent": self.strategies.get(data["parent"])}
            strategy = self.ensure(
                Strategy, {"code": data["code"]}, model_create, model=Strategy, actor=None, data=fields
            )
            self.strategies[data["code"]] = strategy
            for axis in data["axes"]:
                fields = _pick(axis, (*NAMES, *DESCRIPTIONS, "planned_project_count"))
                self.part(Axis, strategy, axis["order"], fields | provenance)
            for program in data["programs"]:
                # The document counts its programs without naming them: their descriptions say so.
                fields = _pick(program, (*NAMES, *DESCRIPTIONS, "code"))
                self.part(Program, strategy, program["order"], fields | provenance)
            for phase in data["phases"]:
                fields = _pick(phase, (*NAMES, *DESCRIPTIONS, "start", "end"))
                self.part(Phase, strategy, phase["order"], fields | provenance)
        program_2526 = self.strategies["TN-PTN-2526"]
        for order, program in enumerate(sample.PTN_PROGRAMS, start=1):
            axis = self.parts[Axis, program_2526.code, program["axis"]]
            fields = {"axis": axis, "code": f"PTN-P{order:02d}", **_texts(program["name"]), **SAMPLE}
            self.part(Program, program_2526, order, fields)

    def load_meeting(self):
        data = sources.MEETING
        owner = self.organizations[data["owner"]]
        fields = {key: value for key, value in data.items() if key != "owner"} | {"owner": owner}
        # The seed council's decisions are public knowledge: its decisions list is published.
        fields |= {"decisions_published": True, "decisions_published_at": timezone.now()}
        meeting = self.ensure(
            Meeting,
            {"kind": data["kind"], "source": data["source"], "owner": owner},
            model_create,
            model=Meeting,
            actor=None,
            data=fields,
        )
        responsible = self.organizations[DECISION_RESPONSIBLE]
        for order, text in enumerate(sources.DECISIONS, start=1):
            fields = {
                "meeting": meeting,
                "order": order,
                **_texts(text, "text"),
                "responsible": responsible,
                "classification": "public",
                "is_sample": False,
                "source": DECISION_SOURCE,
                "sample_fields": DECISION_SAMPLE_FIELDS,
            }
            self.ensure(
                Decision, {"meeting": meeting, "order": order}, model_create, model=Decision, actor=None, data=fields
            )

    def load_portfolio(self):
        for plan in sample.portfolio_plan(self.today):
            strategy = self.strategies[plan["strategy"]]
            fields = (
                _pick(plan, PROJECT_FIELDS)
                | SAMPLE
                | {
                    "strategy": strategy,
                    "axis": self.parts[Axis, strategy.code, plan["axis"]],
                    "program": self.parts[Program, strategy.code, plan["program"]],
                    "phase": self.parts.get((Phase, strategy.code, plan["phase"])),
                    "owner": self.organizations[plan["owner"]],
                    "manager": self.users.get(plan.get("manager")),
                    "regions": [self.regions[code] for code in plan["regions"]],
                    "partners": [self.organizations[code] for code in plan["partners"]],
                }
            )
            project = self.ensure(Project, {"code": plan["code"]}, project_create, actor=None, **fields)
            for milestone in plan["milestones"]:
                self.ensure(
                    Milestone,
                    {"project": project, "order": milestone["order"]},
                    milestone_create,
                    actor=None,
                    project=project,
                    **milestone,
                    **SAMPLE,
                )

    def report(self):
        if not self.result.created:
            self.out.write("Nothing to create: the demo is already loaded.\n")
        for label, count in self.result.created.items():
            self.out.write(f"created {count:4d} {label}\n")


@transaction.atomic
def demo_load(*, stdout: Any | None = None, today: datetime.date | None = None) -> Any:
    """Load the demo, creating only what is missing; return what was created and the demo's sign-ins.

    The sample history is placed relative to today (the day of the load unless given), so that
    what is due and how fresh it is are right on that day; the same day gives the same data.
    """
    today = today or timezone.localdate()
    loader = _Loader(stdout, today)
    loader.load_organizations()
    loader.load_regions()
    loader.load_users()
    loader.load_strategies()
    loader.load_meeting()
    loader.load_portfolio()
    load_documents(loader, loader.users["admin"])
    loader.report()
    indicators_demo_load(stdout=loader.out, today=today)
    delivery_demo_load(stdout=loader.out, today=today)
    # Before the open data: the catalogue's public indicators are published with the others on the first load.
    catalogue_demo_load(stdout=loader.out, today=today)
    opendata_demo_load(stdout=loader.out, today=today)
    procurement_demo_load(stdout=loader.out, today=today)
    thesaurus_seed()  # a migration gives a new database its thesaurus; this covers one made without migrations
    reindex()  # entries of records the loaders wrote in bulk, without an audited change each
    return loader.result
