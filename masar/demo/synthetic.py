"""Generate a national-size synthetic portfolio for benchmarks.

The rows are inserted with bulk_create, level by level for the trees, so 20,000 projects take
seconds rather than the minutes that one service call per record would. Instead of one audit
entry per record, each run records one entry per model with the number of rows and the seed.
Everything is flagged is_sample with source "synthetic", and the same seed gives the same rows.

Besides the portfolio, a run gives it a history up to the reference date (see synthetic_delivery,
synthetic_council and synthetic_indicators): synthetic people, monthly progress updates over the
last months, re-baselines, obstacles, meetings with decisions and their follow-up, notifications,
and indicators measured by region.
"""

import contextlib
import datetime
import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import ProtectedError
from psycopg.types.json import Jsonb

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core.errors import DomainError
from masar.core.models import Classification
from masar.decisions.models import ActionUpdate, AgendaItem, Decision, DecisionClosure, Meeting
from masar.delivery.models import Baseline as ProjectBaseline
from masar.delivery.models import (
    MilestoneReport,
    Notification,
    Obstacle,
    ObstacleComment,
    ProgressUpdate,
    ProjectHealth,
    ProjectRatingHistory,
)
from masar.demo.synthetic_council import CouncilDraw, InboxDraw
from masar.demo.synthetic_delivery import USER_PREFIX, DeliveryDraw, drawn_dates, people_create, people_retire
from masar.demo.synthetic_indicators import IndicatorDraw
from masar.indicators.models import Baseline as IndicatorBaseline
from masar.indicators.models import Indicator, Measurement, Target
from masar.organizations.models import Organization, OrganizationKind, Region, RegionKind
from masar.portfolio.models import Milestone, Project, ProjectStatus
from masar.portfolio.services import search_text_of
from masar.strategy.models import Axis, Phase, Program, Strategy, StrategyKind

SOURCE = "synthetic"
COPY_FROM = 500  # rows from which PostgreSQL is given COPY rather than INSERT
INDICATOR_KINDS = (
    "indicators",
    "indicator programs",
    "indicator axes",
    "indicator projects",
    "indicator baselines",
    "indicator targets",
    "measurements",
)
COUNCIL_KINDS = (
    "meetings",
    "decisions",
    "decision projects",
    "decision indicators",
    "action updates",
    "decision closures",
    "agenda items",
)
PROJECT_KINDS = (
    "projects",
    "milestones",
    "project regions",
    "project partners",
    "progress updates",
    "milestone reports",
    "baselines",
    "obstacles",
    "obstacle comments",
)
ROOT_CODE = "SYN-GOV"
COUNTRY_CODE = "SYN"
STRATEGY_CODE = "SYN-STR"
LAST_YEAR = 2026
REFERENCE_DATE = datetime.date(2026, 11, 22)
DAY = datetime.timedelta(days=1)
PROVENANCE = {"is_sample": True, "source": SOURCE}

MINISTRY_DOMAINS = [
    ("الصحة", "de la Santé", "of Health"),
    ("التربية", "de l'Éducation", "of Education"),
    ("المالية", "des Finances", "of Finance"),
    ("الداخلية", "de l'Intérieur", "of the Interior"),
    ("العدل", "de la Justice", "of Justice"),
    ("النقل", "du Transport", "of Transport"),
    ("الفلاحة", "de l'Agriculture", "of Agriculture"),
    ("التجارة", "du Commerce", "of Trade"),
    ("الصناعة", "de l'Industrie", "of Industry"),
    ("الشؤون الاجتماعية", "des Affaires sociales", "of Social Affairs"),
    ("التشغيل", "de l'Emploi", "of Employment"),
    ("البيئة", "de l'Environnement", "of the Environment"),
    ("الثقافة", "de la Culture", "of Culture"),
    ("السياحة", "du Tourisme", "of Tourism"),
    ("التجهيز", "de l'Équipement", "of Public Works"),
]
UNIT_TOPICS = [
    ("نظم المعلومات", "des systèmes d'information", "of Information Systems"),
    ("الموارد البشرية", "des ressources humaines", "of Human Resources"),
    ("الشؤون المالية", "des affaires financières", "of Financial Affairs"),
    ("الدراسات والتخطيط", "des études et de la planification", "of Studies and Planning"),
    ("الشؤون القانونية", "des affaires juridiques", "of Legal Affairs"),
    ("التعاون الدولي", "de la coopération internationale", "of International Cooperation"),
    ("الجودة", "de la qualité", "of Quality"),
    ("الإحصاء", "de la statistique", "of Statistics"),
    ("الخدمات الرقمية", "des services numériques", "of Digital Services"),
    ("المراقبة", "du contrôle", "of Inspection"),
]
AXES = [
    ("الخدمات الرقمية", "Services numériques", "Digital services"),
    ("الحوكمة والبيانات", "Gouvernance et données", "Governance and data"),
    ("البنية التحتية الرقمية", "Infrastructure numérique", "Digital infrastructure"),
    ("الكفاءات والثقة الرقمية", "Compétences et confiance numérique", "Skills and digital trust"),
]
PHASES = [
    ("مرحلة التأسيس", "Fondation", "Foundation"),
    ("مرحلة الإنجاز", "Réalisation", "Delivery"),
    ("مرحلة التعميم", "Généralisation", "Roll-out"),
]
ACTIONS = [
    ("رقمنة", "Numérisation", "Digitizing"),
    ("تطوير", "Développement", "Developing"),
    ("تحديث", "Modernisation", "Modernizing"),
    ("تعميم", "Généralisation", "Rolling out"),
    ("ربط", "Interconnexion", "Connecting"),
    ("تأمين", "Sécurisation", "Securing"),
]
OBJECTS = [
    ("منظومة التصرف في الملفات", "du système de gestion des dossiers", "the case-management system"),
    ("بوابة الخدمات", "du portail des services", "the services portal"),
    ("السجل الوطني", "du registre national", "the national register"),
    ("منصة الدفع الإلكتروني", "de la plateforme de paiement électronique", "the e-payment platform"),
    ("الأرشيف الإداري", "des archives administratives", "the administrative archives"),
    ("منظومة المواعيد", "du système de rendez-vous", "the appointments system"),
    ("شبكة الاتصالات", "du réseau de télécommunications", "the telecommunication network"),
    ("مركز البيانات", "du centre de données", "the data centre"),
    ("منظومة التراخيص", "du système des autorisations", "the licensing system"),
    ("لوحة القيادة", "du tableau de bord", "the dashboard"),
]
MILESTONES = [
    ("إعداد كراس الشروط", "Cahier des charges", "Terms of reference"),
    ("إسناد الصفقة", "Attribution du marché", "Contract award"),
    ("التطوير", "Développement", "Development"),
    ("التجربة النموذجية", "Pilote", "Pilot"),
    ("الاستلام", "Réception", "Acceptance"),
    ("الإطلاق", "Mise en service", "Go-live"),
]
DESCRIPTION = (
    "مشروع اصطناعي مولّد لقياس أداء المنصة.",
    "Projet synthétique généré pour mesurer les performances de la plateforme.",
    "Synthetic project generated to measure the platform's performance.",
)


# The errors below speak to the operator's console of generate_portfolio, so they stay in English.
class SyntheticDataExists(DomainError):
    default_message = "This database already holds synthetic data."


@dataclass
class GenerateResult:
    """What a run created (rows per kind) and how long it took."""

    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    insert_seconds: Counter = field(default_factory=Counter)  # time spent inserting, per kind

    @property
    def rows(self):
        return sum(self.counts.values())


class _Run:
    def __init__(self, *, seed, batch_size, stdout):
        self.rng = random.Random(seed)
        self.seed = seed
        self.batch_size = batch_size
        self.out = stdout or io.StringIO()
        self.started = time.monotonic()
        self.result = GenerateResult()

    def say(self, line):
        self.out.write(line + "\n")
        if hasattr(self.out, "flush"):
            self.out.flush()

    def audit(self, model, count, **extra):
        audit_record(
            actor=None,
            action=Action.BULK_CREATE,
            instance=None,
            model=model,
            object_id=SOURCE,
            changes={"count": count, "seed": self.seed, **extra},
        )

    def insert(self, model, objects, label, dated=False):
        """Insert objects in batches and count them; return them with their primary keys.

        dated: keep the dates drawn for the model's auto_now(_add) fields (the synthetic past).
        """
        started = time.monotonic()
        with drawn_dates(model) if dated else contextlib.nullcontext():
            if connection.vendor == "postgresql" and len(objects) >= COPY_FROM:
                _copy(model, objects)
            else:
                model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.result.counts[label] += len(objects)
        self.result.insert_seconds[label] += time.monotonic() - started
        return objects

    def insert_rows(self, model, columns, rows, label):
        """Insert rows given as tuples of the model's field attnames (no instances: for the biggest kinds)."""
        started = time.monotonic()
        if connection.vendor == "postgresql":
            fields = [model._meta.get_field(name) for name in columns]
            json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
            quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(model._meta.db_table)
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        if json:
                            row = list(row)
                            for i in json:
                                row[i] = Jsonb(row[i])
                        copy.write_row(row)
        else:
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            with drawn_dates(model):
                model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.result.counts[label] += len(rows)
        self.result.insert_seconds[label] += time.monotonic() - started

    def stage(self, name, started, labels):
        """Print how many rows a stage made and at what rate (drawing and inserting included)."""
        rows = sum(self.result.counts[label] for label in labels)
        seconds = time.monotonic() - started
        self.say(f"{name}: {rows:,d} rows in {seconds:.1f} s ({rows / max(seconds, 1e-6):,.0f} rows/s)")

    def place(self, model, nodes):
        """Set path and depth of inserted tree nodes whose parents already have theirs."""
        for node in nodes:
            parent_path = node.parent.path if node.parent_id else "/"
            node.path = f"{parent_path}{node.pk}/"
            node.depth = node.path.count("/") - 2
        model._default_manager.bulk_update(nodes, ["path", "depth"], batch_size=self.batch_size)

    # Organizations: a root, ministries under it, directorates and bodies under the ministries.

    def organizations(self, total):
        ministries_count = min(max(1, round(total / 15)), total - 1)
        root = Organization(
            code=ROOT_CODE,
            kind=OrganizationKind.GOVERNMENT,
            order=1,
            name_ar="حكومة اصطناعية",
            name_fr="Gouvernement synthétique",
            name_en="Synthetic government",
            **PROVENANCE,
        )
        self.insert(Organization, [root], "organizations")
        self.place(Organization, [root])
        ministries = []
        for n in range(ministries_count):
            ar, fr, en = MINISTRY_DOMAINS[n % len(MINISTRY_DOMAINS)]
            suffix = f" {n // len(MINISTRY_DOMAINS) + 1}" if n >= len(MINISTRY_DOMAINS) else ""
            ministries.append(
                Organization(
                    code=f"SYN-M{n + 1:03d}",
                    parent=root,
                    kind=OrganizationKind.MINISTRY,
                    order=n + 1,
                    name_ar=f"وزارة {ar}{suffix}",
                    name_fr=f"Ministère {fr}{suffix}",
                    name_en=f"Ministry {en}{suffix}",
                    **PROVENANCE,
                )
            )
        self.insert(Organization, ministries, "organizations")
        self.place(Organization, ministries)
        units, siblings = [], Counter()
        for n in range(total - 1 - ministries_count):
            parent = ministries[self.rng.randrange(ministries_count)]
            siblings[parent.pk] += 1
            ar, fr, en = UNIT_TOPICS[self.rng.randrange(len(UNIT_TOPICS))]
            if self.rng.random() < 0.8:
                kind, names = OrganizationKind.DIRECTORATE, ("إدارة", "Direction", "Directorate")
            else:
                kind, names = OrganizationKind.BODY, ("هيئة", "Agence", "Agency")
            units.append(
                Organization(
                    code=f"SYN-U{n + 1:04d}",
                    parent=parent,
                    kind=kind,
                    order=siblings[parent.pk],
                    name_ar=f"{names[0]} {ar} {n + 1}",
                    name_fr=f"{names[1]} {fr} {n + 1}",
                    name_en=f"{names[2]} {en} {n + 1}",
                    **PROVENANCE,
                )
            )
        self.insert(Organization, units, "organizations")
        self.place(Organization, units)
        self.audit(Organization, 1 + len(ministries) + len(units))
        self.say(f"organizations {1 + len(ministries) + len(units)}/{total}")
        return root, ministries + units

    def regions(self, total):
        country = Region(
            code=COUNTRY_CODE,
            kind=RegionKind.COUNTRY,
            name_ar="بلد اصطناعي",
            name_fr="Pays synthétique",
            name_en="Synthetic country",
            **PROVENANCE,
        )
        self.insert(Region, [country], "regions")
        self.place(Region, [country])
        regions = [
            Region(
                code=f"SYN-{n:02d}",
                parent=country,
                kind=RegionKind.REGION,
                name_ar=f"الجهة {n}",
                name_fr=f"Région {n}",
                name_en=f"Region {n}",
                **PROVENANCE,
            )
            for n in range(1, total + 1)
        ]
        self.insert(Region, regions, "regions")
        self.place(Region, regions)
        self.audit(Region, 1 + total)
        self.say(f"regions {total}/{total}")
        return regions

    def strategy(self, owner, years, planned):
        start, end = datetime.date(LAST_YEAR - years + 1, 1, 1), datetime.date(LAST_YEAR, 12, 31)
        strategy = Strategy(
            code=STRATEGY_CODE,
            kind=StrategyKind.STRATEGY,
            owner=owner,
            period_start=start,
            period_end=end,
            adopted_on=start,
            name_ar="الاستراتيجية الوطنية الاصطناعية",
            name_fr="Stratégie nationale synthétique",
            name_en="Synthetic national strategy",
            planned_project_count=planned,
            classification=Classification.PUBLIC,
            **PROVENANCE,
        )
        self.insert(Strategy, [strategy], "strategies")
        axes = self.insert(
            Axis,
            [
                Axis(
                    strategy=strategy,
                    order=n,
                    name_ar=ar,
                    name_fr=fr,
                    name_en=en,
                    planned_project_count=planned // 4,
                    **PROVENANCE,
                )
                for n, (ar, fr, en) in enumerate(AXES, start=1)
            ],
            "axes",
        )
        programs = self.insert(
            Program,
            [
                Program(
                    strategy=strategy,
                    axis=axes[(n - 1) // 3],
                    order=n,
                    code=f"SYN-P{n:02d}",
                    name_ar=f"البرنامج {n}",
                    name_fr=f"Programme {n}",
                    name_en=f"Program {n}",
                    **PROVENANCE,
                )
                for n in range(1, 13)
            ],
            "programs",
        )
        span = (end - start).days + 1
        bounds = [start, start + span // 3 * DAY, start + 2 * span // 3 * DAY, end + DAY]
        phases = self.insert(
            Phase,
            [
                Phase(
                    strategy=strategy,
                    order=n,
                    start=bounds[n - 1],
                    end=bounds[n] - DAY,
                    name_ar=ar,
                    name_fr=fr,
                    name_en=en,
                    **PROVENANCE,
                )
                for n, (ar, fr, en) in enumerate(PHASES, start=1)
            ],
            "phases",
        )
        for model, count in ((Strategy, 1), (Axis, len(axes)), (Program, len(programs)), (Phase, len(phases))):
            self.audit(model, count)
        return strategy, programs, phases

    # Projects, their milestones, regions and partners, batch by batch.

    def project(self, n, *, strategy, programs, phases, owners, regions):
        """Draw project n and its milestones, regions and partners (in the same order whatever the batch size)."""
        rng = self.rng
        span = (strategy.period_end - strategy.period_start).days
        start = strategy.period_start + rng.randrange(max(1, span - 90)) * DAY
        end = start + rng.randint(120, 1100) * DAY
        program = programs[rng.randrange(len(programs))]
        phase = next(p for p in reversed(phases) if p.start <= start)
        owner = owners[rng.randrange(len(owners))]
        action, thing = ACTIONS[rng.randrange(len(ACTIONS))], OBJECTS[rng.randrange(len(OBJECTS))]
        r = rng.random()
        if end <= REFERENCE_DATE:
            status = (
                ProjectStatus.COMPLETED
                if r < 0.8
                else ProjectStatus.IN_PROGRESS
                if r < 0.92
                else ProjectStatus.SUSPENDED
                if r < 0.96
                else ProjectStatus.CANCELLED
            )
        elif start > REFERENCE_DATE:
            status = ProjectStatus.PLANNED
        else:
            status = ProjectStatus.IN_PROGRESS if r < 0.88 else ProjectStatus.SUSPENDED
            status = status if r < 0.95 else ProjectStatus.PLANNED
        r = rng.random()
        classification = (
            Classification.PUBLIC if r < 0.8 else Classification.RESTRICTED if r < 0.95 else Classification.CONFIDENTIAL
        )
        r = rng.random()
        funding = "state_budget" if r < 0.7 else "donor" if r < 0.9 else "ppp"
        code = f"SYN-P{n:06d}"
        names = (f"{action[0]} {thing[0]} {n}", f"{action[1]} {thing[1]} {n}", f"{action[2]} {thing[2]} {n}")
        project = Project(
            code=code,
            owner_id=owner.pk,
            strategy_id=strategy.pk,
            axis_id=program.axis_id,
            program_id=program.pk,
            phase_id=phase.pk,
            name_ar=names[0],
            name_fr=names[1],
            name_en=names[2],
            description_ar=DESCRIPTION[0],
            description_fr=DESCRIPTION[1],
            description_en=DESCRIPTION[2],
            planned_start=start,
            planned_end=end,
            planned_budget=Decimal(rng.randint(50, 20_000) * 1000),
            currency="TND",
            funding_kind=funding,
            status=status,
            classification=classification,
            **PROVENANCE,
        )
        project.search_text = search_text_of(project)
        count = rng.randint(2, 5)
        picks = [0, *sorted(rng.sample(range(1, len(MILESTONES) - 1), count - 2)), len(MILESTONES) - 1]
        milestones, reached = [], status not in (ProjectStatus.PLANNED, ProjectStatus.CANCELLED)
        for order, pick in enumerate(picks, start=1):
            planned = start + round((end - start).days * order / count) * DAY
            actual = None
            if reached and planned <= REFERENCE_DATE and (status == ProjectStatus.COMPLETED or rng.random() < 0.8):
                actual = min(planned + rng.randint(-10, 60) * DAY, REFERENCE_DATE)
            else:
                reached = False
            ar, fr, en = MILESTONES[pick]
            milestones.append(
                Milestone(
                    order=order,
                    name_ar=ar,
                    name_fr=fr,
                    name_en=en,
                    planned_date=planned,
                    actual_date=actual,
                    **PROVENANCE,
                )
            )
        project_regions = rng.sample(regions, rng.choice((1, 1, 2)) if len(regions) > 1 else 1)
        partners = [o for o in rng.sample(owners, rng.choice((0, 0, 0, 1, 2))) if o.pk != owner.pk]
        return project, milestones, project_regions, partners

    def projects(self, total, delivery, **context):
        """Insert the projects with their milestones, links and delivery history; return their keys by ministry."""
        region_link, partner_link = Project.regions.through, Project.partners.through
        links = Counter()
        done = 0
        started = time.monotonic()
        by_ministry = {}
        while done < total:
            drawn = [self.project(n, **context) for n in range(done + 1, min(done + self.batch_size, total) + 1)]
            histories = [delivery.history(project, milestones) for project, milestones, *_ in drawn]
            self.insert(Project, [project for project, *_ in drawn], "projects")
            milestones, regions, partners = [], [], []
            for project, project_milestones, project_regions, project_partners in drawn:
                for milestone in project_milestones:
                    milestone.project_id = project.pk
                milestones += project_milestones
                regions += [region_link(project_id=project.pk, region_id=r.pk) for r in project_regions]
                partners += [partner_link(project_id=project.pk, organization_id=o.pk) for o in project_partners]
            self.insert(Milestone, milestones, "milestones")
            self.insert(region_link, regions, "project regions")
            self.insert(partner_link, partners, "project partners")
            links["regions"] += len(regions)
            links["partners"] += len(partners)
            self.histories(histories, [milestones for _, milestones, *_ in drawn])
            for project, *_ in drawn:
                if project.status != ProjectStatus.PLANNED:
                    by_ministry.setdefault(delivery.people.ministry_of[project.owner_id].pk, []).append(project.pk)
            done += len(drawn)
            seconds = max(time.monotonic() - started, 1e-6)
            updates = self.result.counts["progress updates"]
            self.say(
                f"projects {done}/{total}  {done / seconds:.0f}/s, updates {updates:,d}  {updates / seconds:,.0f}/s"
            )
        self.audit(Project, total, region_links=links["regions"], partner_links=links["partners"])
        for model, label in (
            (Milestone, "milestones"),
            (ProgressUpdate, "progress updates"),
            (MilestoneReport, "milestone reports"),
            (ProjectBaseline, "baselines"),
            (Obstacle, "obstacles"),
            (ObstacleComment, "obstacle comments"),
        ):
            self.audit(model, self.result.counts[label])
        self.stage("projects and their history", started, [*PROJECT_KINDS])
        return by_ministry

    def histories(self, histories, milestones):
        """Insert a batch's delivery rows, parents first (their keys fill the children's foreign keys)."""
        self.insert(ProgressUpdate, [u for h in histories for u in h.updates], "progress updates", dated=True)
        self.insert(MilestoneReport, [r for h in histories for r in h.reports], "milestone reports")
        baselines = []
        for history, project_milestones in zip(histories, milestones, strict=True):
            for baseline, shift in history.baselines:
                DeliveryDraw.milestone_dates(baseline, shift, project_milestones)
                baselines.append(baseline)
        self.insert(ProjectBaseline, baselines, "baselines", dated=True)
        self.insert(Obstacle, [o for h in histories for o in h.obstacles], "obstacles", dated=True)
        self.insert(ObstacleComment, [c for h in histories for c in h.comments], "obstacle comments", dated=True)


def _copy(model, objects):
    """Insert objects with PostgreSQL's COPY, their keys drawn from the table's sequence first.

    Does what bulk_create does (foreign keys from the parents' objects, auto_now values) without building
    one SQL statement per batch: several times faster for the hundreds of thousands of rows of a run.
    """
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objects)],
        )
        keys = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # What bulk_create does per field, kept to the fields that need it: auto_now values, JSON, parents' keys.
        automatic = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        parents = [f for f in fields if f.is_relation and f.many_to_one]
        json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        names = [f.attname for f in fields]
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj, key in zip(objects, keys, strict=True):
                setattr(obj, pk.attname, key)
                for f in parents:
                    if getattr(obj, f.attname) is None and f.is_cached(obj):
                        parent = f.get_cached_value(obj)
                        if parent is not None:
                            setattr(obj, f.attname, parent.pk)
                for f in automatic:
                    f.pre_save(obj, True)
                row = [getattr(obj, name) for name in names]
                for i in json:
                    row[i] = Jsonb(row[i])
                copy.write_row(row)
                obj._state.adding = False


def _synthetic_deletions():
    """Return (model, queryset, raw) in the order the synthetic rows go, children first.

    raw: deleted in one statement, without the collector loading the rows (their children are gone by then).
    """
    synthetic = {"source": SOURCE}
    users = User.objects.filter(username__startswith=USER_PREFIX)
    return [
        (Notification, Notification.objects.filter(user__in=users), True),
        (DecisionClosure, DecisionClosure.objects.filter(**synthetic), False),
        (ActionUpdate, ActionUpdate.objects.filter(**synthetic), False),
        (AgendaItem, AgendaItem.objects.filter(meeting__source=SOURCE), False),
        (Decision.projects.through, Decision.projects.through.objects.filter(decision__source=SOURCE), False),
        (Decision.indicators.through, Decision.indicators.through.objects.filter(decision__source=SOURCE), False),
        (Decision, Decision.objects.filter(**synthetic), False),
        (Meeting, Meeting.objects.filter(**synthetic), False),
        (Measurement, Measurement.objects.filter(indicator__source=SOURCE), True),
        (IndicatorBaseline, IndicatorBaseline.objects.filter(indicator__source=SOURCE), False),
        (Target, Target.objects.filter(indicator__source=SOURCE), False),
        (Indicator.programs.through, Indicator.programs.through.objects.filter(indicator__source=SOURCE), False),
        (Indicator.axes.through, Indicator.axes.through.objects.filter(indicator__source=SOURCE), False),
        (Indicator.projects.through, Indicator.projects.through.objects.filter(indicator__source=SOURCE), False),
        (Indicator, Indicator.objects.filter(**synthetic), False),
        (ObstacleComment, ObstacleComment.objects.filter(obstacle__source=SOURCE), True),
        (Obstacle, Obstacle.objects.filter(**synthetic), True),
        (MilestoneReport, MilestoneReport.objects.filter(update__source=SOURCE), True),
        (ProgressUpdate, ProgressUpdate.objects.filter(**synthetic), True),
        (ProjectBaseline, ProjectBaseline.objects.filter(project__source=SOURCE), True),
        (ProjectHealth, ProjectHealth.objects.filter(project__source=SOURCE), True),
        (ProjectRatingHistory, ProjectRatingHistory.objects.filter(project__source=SOURCE), True),
        (Milestone, Milestone.objects.filter(**synthetic), False),
        (Project.regions.through, Project.regions.through.objects.filter(project__source=SOURCE), False),
        (Project.partners.through, Project.partners.through.objects.filter(project__source=SOURCE), False),
        (Project, Project.objects.filter(**synthetic), False),
        (Program, Program.objects.filter(**synthetic), False),
        (Phase, Phase.objects.filter(**synthetic), False),
        (Axis, Axis.objects.filter(**synthetic), False),
        (Strategy, Strategy.objects.filter(**synthetic), False),
    ]


def _delete_previous(seed, stdout):
    """Delete every record with source "synthetic" (and the synthetic people), children first; audit the counts."""
    from masar.integrity.synthetic import procurement_clear

    started = time.monotonic()
    counts = {}
    # The procurement trail holds on to the projects it buys for: it goes first.
    for name, count in procurement_clear().items():
        counts[apps.get_model("integrity", name)] = count
    for model, queryset, raw in _synthetic_deletions():
        if raw:
            # A subquery rather than a join: DELETE … WHERE id IN (SELECT …) works on every database.
            keys = queryset.values("pk")
            counts[model] = model._default_manager.filter(pk__in=keys)._raw_delete(queryset.db)
        else:
            counts[model] = queryset.delete()[0]
    retired = people_retire()
    synthetic = {"source": SOURCE}
    for model in (Organization, Region):
        counts[model] = 0
        # Deepest first: a node's parent is protected while it has children.
        for depth in sorted(set(model.objects.filter(**synthetic).values_list("depth", flat=True)), reverse=True):
            counts[model] += model.objects.filter(depth=depth, **synthetic).delete()[0]
    for model, count in counts.items():
        if count and not model._meta.auto_created:
            audit_record(
                actor=None,
                action=Action.DELETE,
                instance=None,
                model=model,
                object_id=SOURCE,
                changes={"count": count, "replaced_by_seed": seed},
            )
    if retired:
        audit_record(
            actor=None,
            action=Action.UPDATE,
            instance=None,
            model=User,
            object_id=SOURCE,
            changes={"count": retired, "is_active": False, "organization": None, "replaced_by_seed": seed},
        )
    seconds = time.monotonic() - started
    stdout.write(f"deleted the previous synthetic data ({counts[Project]} projects) in {seconds:.1f} s\n")


@transaction.atomic
def portfolio_generate(
    *,
    organizations,
    regions,
    projects,
    years,
    seed=1,
    batch_size=2000,
    replace=False,
    months=36,
    indicators=None,
    stdout=None,
):
    """Create a synthetic government, country, strategy and portfolio of the given size; return counts and timing.

    The portfolio comes with its history: monthly updates over the last `months` months, re-baselines,
    obstacles, meetings and decisions, notifications of synthetic people, and `indicators` indicators
    (by default one per 60 projects, at most 300) measured by region.
    Refuse to run when synthetic data is already there, unless replace is true: then delete it first.
    """
    if indicators is None:
        indicators = min(300, max(4, projects // 60))
    if (
        organizations < 2
        or regions < 1
        or projects < 0
        or not 1 <= years <= 100
        or batch_size < 1
        or not 0 <= months <= 1200
        or indicators < 0
    ):
        raise DomainError(
            "Give at least 2 organizations, 1 region, 0 projects, 1 to 100 years, a batch size of at least 1, "
            "0 to 1200 months of history and 0 or more indicators."
        )
    run = _Run(seed=seed, batch_size=batch_size, stdout=stdout)
    if Organization.objects.filter(code=ROOT_CODE).exists():
        if not replace:
            raise SyntheticDataExists(
                f"This database already holds synthetic data (organization {ROOT_CODE}). "
                "Run with --replace to delete it and generate it again."
            )
        try:
            _delete_previous(seed, run.out)
        except ProtectedError as error:
            records = ", ".join(str(obj) for obj in list(error.protected_objects)[:5])
            raise DomainError(
                f"The previous synthetic data cannot be deleted: other records point at it ({records})."
            ) from None
    root, owners = run.organizations(organizations)
    region_list = run.regions(regions)
    strategy, programs, phases = run.strategy(root, years, projects)
    people = people_create(run, root, owners)
    ministries = [o for o in owners if o.kind == OrganizationKind.MINISTRY]
    delivery = DeliveryDraw(seed=seed, months=months, people=people, reference=REFERENCE_DATE)
    delivery.finance = ministries[2] if len(ministries) > 2 else None
    by_ministry = run.projects(
        projects,
        delivery,
        strategy=strategy,
        programs=programs,
        phases=phases,
        owners=owners,
        regions=region_list,
    )
    started = time.monotonic()
    indicator_keys = IndicatorDraw(run=run, seed=seed, people=people, reference=REFERENCE_DATE).indicators(
        indicators,
        ministries=ministries,
        regions=region_list,
        strategy=strategy,
        programs=programs,
        projects_by_ministry=by_ministry,
    )
    run.stage("indicators", started, INDICATOR_KINDS)
    started = time.monotonic()
    council = CouncilDraw(run=run, seed=seed, people=people, delivery=delivery, reference=REFERENCE_DATE, months=months)
    council.meetings(root, ministries, by_ministry, indicator_keys)
    run.stage("meetings and decisions", started, COUNCIL_KINDS)
    started = time.monotonic()
    inbox = InboxDraw(seed=seed, people=people, delivery=delivery, council=council, reference=REFERENCE_DATE)
    run.insert(Notification, inbox.draw(), "notifications", dated=True)
    run.audit(Notification, run.result.counts["notifications"])
    run.stage("notifications", started, ["notifications"])
    run.result.seconds = time.monotonic() - run.started
    return run.result
