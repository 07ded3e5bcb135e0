"""Benchmark search on national-size Arabic data: `python -m bench.search [--scale N] [--explain] [--keep]`.

Generates 200,000 synthetic records (flagged is_sample, source "synthetic (bench.search)") whose texts
are composed, with a seeded random generator, from the words and sentences of the Arabic passages of
`tests/search/quality/passages.json`: a few hundred organizations with their missions, strategies
with their axes and programs, 20,000 projects, meetings and their decisions, obstacles, indicators,
and documents for the rest; mixed classifications and owners; inserted with bulk_create (one audit
entry per model, as `generate_portfolio` does). Then builds the index with
`masar.search.index.reindex` and times 50 queries typed as people type them (single words,
phrases, hamza/taa marbuta/alef maqsura variants, typos, French words), each computed then cached, through
`masar.search.selectors.search` for a national administrator, a ministry's sector coordinator and
the public, `suggest()` on prefixes of the same queries, and the same queries with PostgreSQL's own
`arabic` configuration over the same texts (no visibility: the database's bare full-text cost).
Prints key=value lines:

- index_docs_per_s: search entries written per second by `reindex`;
- search_p50_ms, search_p95_ms (all readers and queries), search_p95_ms_<reader>: a search computed by the
  database (its first run); search_queries (its SQL statements, the most over the queries);
- search_cached_p95_ms: the same search again, as a second reader of the same scope gets it (searches are cached
  per scope until any record changes, as the dashboards are);
- suggest_p95_ms; pg_arabic_p95_ms; ratio_to_pg_arabic (search_p95_ms / pg_arabic_p95_ms);
- the dataset's size (entries=, documents=, projects=, ...).

`--explain` prints, for the slowest query of the national and the public reader, the time of each
SQL statement of that search and `EXPLAIN (ANALYZE, BUFFERS)` of the slowest statements.

The database of DATABASE_URL is created when missing, migrated, and dropped at the end unless
`--keep` is given (a kept database is reused by the next run, without generating again). The
benchmark refuses a database that holds anything but its own data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_search .venv/bin/python -m bench.search --scale 0.05
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

PASSAGES = Path(__file__).resolve().parent.parent / "tests" / "search" / "quality" / "passages.json"
PREFIX = "BSR"
SOURCE = "synthetic (bench.search)"
PROVENANCE = {"is_sample": True, "source": SOURCE}
SEED = 11
TOTAL = 200_000
SIZES = {  # at full scale; documents make up the rest of TOTAL
    "organizations": 300,
    "strategies": 40,  # each with 4 axes and 3 programs per axis
    "projects": 20_000,
    "meetings": 2_000,  # each with 4 decisions
    "obstacles": 10_000,
    "indicators": 1_000,
}
AXES_PER_STRATEGY = 4
PROGRAMS_PER_AXIS = 3
DECISIONS_PER_MEETING = 4
QUERIES = 50
BATCH = 2000

# French words and phrases of public administration (the passages are Arabic only).
FRENCH = (
    "stratégie nationale du numérique",
    "transformation numérique de l'administration",
    "services publics en ligne",
    "plateforme nationale d'interopérabilité",
    "portail des services aux citoyens",
    "cybersécurité et confiance numérique",
    "données ouvertes et gouvernance des données",
    "tableau de bord de suivi des projets",
    "indicateurs de performance",
    "marchés publics électroniques",
    "simplification des procédures administratives",
    "formation des agents publics",
    "infrastructure de fibre optique",
    "intelligence artificielle au service de l'État",
    "identité numérique du citoyen",
    "paiement électronique des services",
    "modernisation de l'administration publique",
    "archives administratives numérisées",
    "registre national des entreprises",
    "réforme de la fonction publique",
    "plan d'action annuel du ministère",
    "rapport d'évaluation à mi-parcours",
    "conseil des ministres",
    "mise en œuvre des décisions",
    "coordination entre les administrations",
    "budget de l'État",
)
FRENCH_QUERIES = ("numérique", "cybersécurité", "tableau de bord", "marchés publics", "données ouvertes")
# Arabic letters, diacritics and tatweel, digits; anything else separates words.
_WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u064b-\u065f\u0670\u0640]+|\d+")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("DEBUG", "0")  # no debug cursor recording every query
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    import django

    django.setup()


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- the database, created and dropped by the benchmark ----------------------------------------


def database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench.search measures PostgreSQL: set DATABASE_URL=postgres://.../masar_bench_search")
    return url


def _admin_connection(url):
    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5)


def database_create(url):
    """Create the database of url when it does not exist; return whether it was created."""
    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def database_drop(url):
    from django.db import connections

    connections.close_all()
    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def holds_only_bench_data():
    """Return True when the database holds this benchmark's data, False when it is empty; exit otherwise."""
    from masar.organizations.models import Organization

    if not Organization.objects.exists():
        return False
    if Organization.objects.exclude(code__startswith=f"{PREFIX}-").exists():
        sys.exit("this database holds data that bench.search did not generate: give it a database of its own")
    return True


# --- the vocabulary of the seeds ---------------------------------------------------------------


class Vocabulary:
    """Words, sentences and word successions of the seed passages, to compose texts that read like them."""

    def __init__(self, rng):
        self.rng = rng
        passages = json.loads(PASSAGES.read_text(encoding="utf-8"))
        self.sentences = []
        self.following = defaultdict(list)
        counts = Counter()
        for passage in passages:
            for piece in re.split(r"[.:؛;!؟?\n]+", passage["text"]):
                words = _WORD.findall(piece)
                if len(words) >= 3:
                    self.sentences.append(words)
                for a, b in zip(words, words[1:], strict=False):
                    self.following[a].append(b)
                counts.update(words)
        self.counts = counts
        self.words = sorted(counts)
        self.starts = [s[0] for s in self.sentences]

    def sentence(self, low=6, high=16):
        """Return a sentence: a verbatim stretch of a seed one time in four, else a walk along the seeds' bigrams."""
        rng = self.rng
        length = rng.randint(low, high)
        if rng.random() < 0.25:
            words = rng.choice(self.sentences)
            start = rng.randrange(max(1, len(words) - length + 1))
            return " ".join(words[start : start + length])
        word = rng.choice(self.starts)
        out = [word]
        while len(out) < length:
            followers = self.following.get(word)
            word = rng.choice(followers) if followers and rng.random() < 0.9 else rng.choice(self.words)
            out.append(word)
        return " ".join(out)

    def paragraph(self, low=2, high=6):
        return "، ".join(self.sentence() for _ in range(self.rng.randint(low, high))) + "."

    def french(self, low=1, high=3):
        return ". ".join(self.rng.choice(FRENCH).capitalize() for _ in range(self.rng.randint(low, high)))

    # Queries as people type them, drawn from the same vocabulary.

    def content_words(self):
        return [w for w in self.words if len(w) >= 5 and self.counts[w] >= 2 and not w.isdigit()]

    def queries(self, count=QUERIES):
        rng = random.Random(SEED + 1)
        words = self.content_words()
        phrases = sorted(
            {
                " ".join(s[i : i + n])
                for s in self.sentences
                for n in (2, 3)
                for i in range(len(s) - n + 1)
                if all(len(w) >= 3 and not w.isdigit() for w in s[i : i + n])
            }
        )
        singles = rng.sample(words, 14)
        pairs = rng.sample(phrases, 14)
        variants = []
        for word in rng.sample(words, len(words)):
            variant = (
                word.replace("أ", "ا").replace("إ", "ا")
                if "أ" in word or "إ" in word
                else word[:-1] + "ه"
                if word.endswith("ة")
                else word[:-1] + "ي"
                if word.endswith("ى")
                else ""
            )
            if variant and variant not in self.counts:
                variants.append(variant)
            if len(variants) == 6:
                break
        for phrase in rng.sample(phrases, len(phrases)):
            if phrase.endswith("ة") and len(variants) < 9:
                variants.append(phrase[:-1] + "ه")
        typos = []
        for word in rng.sample([w for w in words if len(w) >= 6], 40):
            i = rng.randrange(2, len(word) - 1)
            typo = (
                word[:i] + word[i + 1 :]
                if rng.random() < 0.5
                else word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
            )
            if typo not in self.counts and typo != word:
                typos.append(typo)
            if len(typos) == 6:
                break
        typos.append(typos.pop(0) + " " + rng.choice(words))  # a typo inside a phrase
        french = list(FRENCH_QUERIES)
        out = singles + pairs + variants + typos + french
        out += rng.sample(phrases, max(0, count - len(out)))
        return out[:count]


# --- the synthetic records ---------------------------------------------------------------------


def sizes_at(scale):
    sizes = {name: max(1, round(n * scale)) for name, n in SIZES.items()}
    sizes["organizations"] = max(20, sizes["organizations"])
    parts = (
        sizes["organizations"]
        + sizes["strategies"] * (1 + AXES_PER_STRATEGY * (1 + PROGRAMS_PER_AXIS))
        + sizes["projects"]
        + sizes["meetings"] * (1 + DECISIONS_PER_MEETING)
        + sizes["obstacles"]
        + sizes["indicators"]
    )
    sizes["documents"] = max(1, round(TOTAL * scale) - parts)
    return sizes


class Generator:
    def __init__(self, vocabulary, rng):
        self.v = vocabulary
        self.rng = rng
        self.counts = Counter()

    def classification(self):
        from masar.core.models import Classification

        r = self.rng.random()
        return (
            Classification.PUBLIC if r < 0.6 else Classification.RESTRICTED if r < 0.9 else Classification.CONFIDENTIAL
        )

    def date(self, first=2012, last=2026):
        return datetime.date(first, 1, 1) + datetime.timedelta(days=self.rng.randrange((last - first + 1) * 365))

    def insert(self, model, objects):
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.model_name] += len(objects)
        return objects

    def audit(self, model, count):
        from masar.audit.models import Action
        from masar.audit.services import audit_record

        audit_record(
            actor=None,
            action=Action.BULK_CREATE,
            instance=None,
            model=model,
            object_id=SOURCE,
            changes={"count": count, "seed": SEED},
        )

    def place(self, nodes):
        from masar.organizations.models import Organization

        for node in nodes:
            node.path = f"{node.parent.path if node.parent_id else '/'}{node.pk}/"
            node.depth = node.path.count("/") - 2
        Organization.objects.bulk_update(nodes, ["path", "depth"], batch_size=BATCH)

    def organizations(self, total):
        from masar.demo.synthetic import MINISTRY_DOMAINS, UNIT_TOPICS
        from masar.organizations.models import Mission, Organization, OrganizationKind

        v = self.v
        root = Organization(code=f"{PREFIX}-GOV", kind=OrganizationKind.GOVERNMENT, name_ar="الحكومة", **PROVENANCE)
        self.insert(Organization, [root])
        self.place([root])
        ministries = [
            Organization(
                code=f"{PREFIX}-M{n:02d}",
                parent=root,
                kind=OrganizationKind.MINISTRY,
                order=n,
                name_ar=f"وزارة {ar}",
                name_fr=f"Ministère {fr}",
                description_ar=v.paragraph(1, 3),
                **PROVENANCE,
            )
            for n, (ar, fr, _en) in enumerate(MINISTRY_DOMAINS, start=1)
        ]
        self.insert(Organization, ministries)
        self.place(ministries)
        units = []
        for n in range(total - 1 - len(ministries)):
            parent = self.rng.choice(ministries)
            ar, fr, _en = self.rng.choice(UNIT_TOPICS)
            kind, word = self.rng.choice(
                [(OrganizationKind.DIRECTORATE, "الإدارة العامة"), (OrganizationKind.BODY, "الهيئة الوطنية")]
            )
            units.append(
                Organization(
                    code=f"{PREFIX}-U{n:04d}",
                    parent=parent,
                    kind=kind,
                    order=n,
                    name_ar=f"{word} {ar} {n + 1}",
                    name_fr=f"Direction {fr} {n + 1}",
                    description_ar=v.paragraph(1, 2),
                    **PROVENANCE,
                )
            )
        self.insert(Organization, units)
        self.place(units)
        organizations = [root, *ministries, *units]
        missions = [
            Mission(organization=o, order=i, text_ar=v.sentence(8, 24), **PROVENANCE)
            for o in organizations
            for i in range(1, self.rng.randint(2, 5))
        ]
        self.insert(Mission, missions)
        self.audit(Organization, len(organizations))
        self.audit(Mission, len(missions))
        return ministries, ministries + units

    def strategies(self, total, ministries):
        from masar.strategy.models import Axis, Program, Strategy, StrategyKind

        v = self.v
        strategies = []
        for n in range(total):
            start = self.date(2012, 2024)
            strategies.append(
                Strategy(
                    code=f"{PREFIX}-S{n:03d}",
                    kind=self.rng.choice(StrategyKind.values),
                    owner=self.rng.choice(ministries),
                    period_start=start,
                    period_end=start + datetime.timedelta(days=5 * 365),
                    name_ar=v.sentence(4, 9),
                    description_ar=v.paragraph(),
                    classification=self.classification(),
                    **PROVENANCE,
                )
            )
        self.insert(Strategy, strategies)
        axes = [
            Axis(strategy=s, order=i, name_ar=v.sentence(3, 7), description_ar=v.paragraph(1, 3), **PROVENANCE)
            for s in strategies
            for i in range(1, AXES_PER_STRATEGY + 1)
        ]
        self.insert(Axis, axes)
        programs = [
            Program(
                strategy_id=a.strategy_id,
                axis=a,
                order=a.order * 10 + i,
                code=f"{PREFIX}-PG{a.pk}-{i}",
                name_ar=v.sentence(3, 8),
                description_ar=v.paragraph(1, 3),
                **PROVENANCE,
            )
            for a in axes
            for i in range(1, PROGRAMS_PER_AXIS + 1)
        ]
        self.insert(Program, programs)
        for model, objects in ((Strategy, strategies), (Axis, axes), (Program, programs)):
            self.audit(model, len(objects))
        return programs

    def projects(self, total, owners, programs):
        from masar.portfolio.models import Project, ProjectStatus
        from masar.portfolio.services import search_text_of

        v, rng = self.v, self.rng
        ids = []
        for start in range(0, total, BATCH):
            batch = []
            for n in range(start, min(total, start + BATCH)):
                program = rng.choice(programs)
                begin = self.date(2014, 2026)
                project = Project(
                    code=f"{PREFIX}-P{n:06d}",
                    owner=rng.choice(owners),
                    strategy_id=program.strategy_id,
                    axis_id=program.axis_id,
                    program=program,
                    name_ar=v.sentence(4, 10),
                    name_fr=v.french(1, 1) if rng.random() < 0.3 else "",
                    description_ar=v.paragraph(),
                    description_fr=v.french() if rng.random() < 0.1 else "",
                    planned_start=begin,
                    planned_end=begin + datetime.timedelta(days=rng.randint(180, 1500)),
                    planned_budget=Decimal(rng.randint(50, 20_000) * 1000),
                    status=rng.choice(ProjectStatus.values),
                    classification=self.classification(),
                    **PROVENANCE,
                )
                project.search_text = search_text_of(project)
                batch.append(project)
            ids += [p.pk for p in self.insert(Project, batch)]
        self.audit(Project, total)
        return ids

    def meetings(self, total, owners):
        from masar.decisions.models import Decision, Meeting, MeetingKind

        v, rng = self.v, self.rng
        meetings = [
            Meeting(
                kind=rng.choice(MeetingKind.values),
                name_ar=v.sentence(4, 9),
                body_ar=rng.choice(["مجلس وزاري مضيق", "مجلس الوزراء", "جلسة عمل", "لجنة القيادة"]),
                date=self.date(),
                place_ar="قصر الحكومة",
                summary_ar=v.paragraph(1, 3),
                minutes_ar=v.paragraph(3, 8),
                owner=rng.choice(owners),
                classification=self.classification(),
                decisions_published=rng.random() < 0.8,
                **PROVENANCE,
            )
            for _ in range(total)
        ]
        self.insert(Meeting, meetings)
        decisions = [
            Decision(
                meeting=m,
                order=i,
                text_ar=v.sentence(8, 30),
                responsible=rng.choice(owners),
                due_date=m.date + datetime.timedelta(days=rng.randint(30, 365)),
                classification=self.classification(),
                **PROVENANCE,
            )
            for m in meetings
            for i in range(1, DECISIONS_PER_MEETING + 1)
        ]
        self.insert(Decision, decisions)
        self.audit(Meeting, len(meetings))
        self.audit(Decision, len(decisions))

    def obstacles(self, total, project_ids, owners):
        from masar.delivery.models import Obstacle, ObstacleCategory, Severity

        v, rng = self.v, self.rng
        obstacles = [
            Obstacle(
                project_id=rng.choice(project_ids),
                category=rng.choice(ObstacleCategory.values),
                severity=rng.choice(Severity.values),
                description=v.paragraph(1, 3),
                proposed_solution=v.sentence(),
                must_act=rng.choice(owners),
                classification=self.classification(),
                **PROVENANCE,
            )
            for _ in range(total)
        ]
        self.insert(Obstacle, obstacles)
        self.audit(Obstacle, total)

    def indicators(self, total, owners):
        from masar.indicators.models import Indicator

        v, rng = self.v, self.rng
        indicators = [
            Indicator(
                code=f"{PREFIX}-I{n:05d}",
                name_ar=v.sentence(3, 8),
                description_ar=v.sentence(),
                unit_ar=rng.choice(["عدد", "نسبة مائوية", "دينار", "يوم"]),
                owner=rng.choice(owners),
                classification=self.classification(),
                **PROVENANCE,
            )
            for n in range(total)
        ]
        self.insert(Indicator, indicators)
        self.audit(Indicator, total)

    def documents(self, total, owners):
        from masar.documents.models import Document, DocumentKind, DocumentLanguage, TextStatus

        v, rng = self.v, self.rng
        for start in range(0, total, BATCH):
            batch = []
            for _ in range(start, min(total, start + BATCH)):
                french = rng.random() < 0.05
                batch.append(
                    Document(
                        title=v.french(1, 1) if french else v.sentence(4, 12),
                        kind=rng.choice(DocumentKind.values),
                        date=self.date(),
                        organization=rng.choice(owners),
                        language=DocumentLanguage.FRENCH if french else DocumentLanguage.ARABIC,
                        classification=self.classification(),
                        text=v.french(4, 10) if french else v.paragraph(2, 8),
                        text_status=TextStatus.PASTED,
                        **PROVENANCE,
                    )
                )
            self.insert(Document, batch)
        self.audit(Document, total)


def generate(scale):
    from django.db import transaction

    rng = random.Random(SEED)
    generator = Generator(Vocabulary(rng), rng)
    sizes = sizes_at(scale)
    start = time.perf_counter()
    with transaction.atomic():
        ministries, owners = generator.organizations(sizes["organizations"])
        programs = generator.strategies(sizes["strategies"], ministries)
        project_ids = generator.projects(sizes["projects"], owners, programs)
        generator.meetings(sizes["meetings"], owners)
        generator.obstacles(sizes["obstacles"], project_ids, owners)
        generator.indicators(sizes["indicators"], owners)
        generator.documents(sizes["documents"], owners)
    seconds = time.perf_counter() - start
    print(f"generate_s={seconds:.1f}")
    print(f"generate_rows_per_s={sum(generator.counts.values()) / seconds:.0f}")


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build_index():
    from masar.search.index import reindex

    last = [0.0]

    def progress(kind, done, count):
        now = time.perf_counter()
        if done == count or now - last[0] > 30:
            last[0] = now
            print(f"# reindex {kind} {done}/{count}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    written = reindex(progress=progress)
    seconds = time.perf_counter() - start
    print(f"index_s={seconds:.1f}")
    print(f"index_docs_per_s={written / seconds:.0f}")


def print_sizes():
    from masar.decisions.models import Decision, Meeting
    from masar.delivery.models import Obstacle
    from masar.documents.models import Document
    from masar.indicators.models import Indicator
    from masar.organizations.models import Organization
    from masar.portfolio.models import Project
    from masar.search.models import SearchEntry, SearchTermKey
    from masar.strategy.models import Axis, Program, Strategy

    print(f"entries={SearchEntry.objects.count()}")
    for name, model in (
        ("documents", Document),
        ("projects", Project),
        ("organizations", Organization),
        ("strategies", Strategy),
        ("axes", Axis),
        ("programs", Program),
        ("meetings", Meeting),
        ("decisions", Decision),
        ("obstacles", Obstacle),
        ("indicators", Indicator),
    ):
        print(f"{name}={model.objects.count()}")
    print(f"term_keys={SearchTermKey.objects.count()}")
    for level, n in Counter(SearchEntry.objects.values_list("classification", flat=True)).most_common():
        print(f"entries_{level}={n}")


# --- the readers and the timings ---------------------------------------------------------------


def readers():
    from masar.accounts.models import User
    from masar.core.policy import Reader
    from masar.core.roles import Role
    from masar.organizations.models import Organization
    from masar.search.models import SearchEntry

    root = Organization.objects.get(code=f"{PREFIX}-GOV")
    national, _ = User.objects.get_or_create(
        username="bench-search-national", defaults={"role": Role.NATIONAL_ADMIN, "organization": root}
    )
    # The ministry owning the most entries in its line: the coordinator who reads the most by ownership.
    ministries = Organization.objects.filter(code__startswith=f"{PREFIX}-M")
    owned = Counter(SearchEntry.objects.values_list("organization__path", flat=True))
    ministry = max(ministries, key=lambda m: sum(n for path, n in owned.items() if path and path.startswith(m.path)))
    coordinator, _ = User.objects.get_or_create(
        username="bench-search-coordinator", defaults={"role": Role.SECTOR_COORDINATOR, "organization": ministry}
    )
    return {"national": Reader.of(national), "coordinator": Reader.of(coordinator), "public": Reader.public()}


def time_call(function, first=None, statements=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        function()  # the first run: computed (code paths, plans and buffers warm up)
    if first is not None:
        first.append((time.perf_counter() - start) * 1000)
    if statements is not None:
        statements.append(len(captured.captured_queries))
    start = time.perf_counter()
    result = function()  # warm: what a second reader of the same scope gets (searches are cached as dashboards are)
    return (time.perf_counter() - start) * 1000, result


def time_searches(queries, readers_by_name):

    from masar.search.selectors import SearchFilters, search

    times, statements, counts, first = defaultdict(dict), [], {}, defaultdict(list)
    for name, reader in readers_by_name.items():
        for q in queries:
            filters = SearchFilters(q=q, limit=20)
            ms, results = time_call(
                lambda reader=reader, filters=filters: search(reader, filters), first[name], statements
            )
            times[name][q] = ms
            counts[(name, q)] = results.count
    every = [ms for by_query in times.values() for ms in by_query.values()]
    computed = [ms for by_reader in first.values() for ms in by_reader]
    # The first run is the search computed by the database; the second, a cache hit for the same scope.
    print(f"search_p50_ms={statistics.median(computed):.1f}")
    print(f"search_p95_ms={p95(computed):.1f}")
    print(f"search_max_ms={max(computed):.1f}")
    for name, by_reader in first.items():
        print(f"search_p50_ms_{name}={statistics.median(by_reader):.1f}")
        print(f"search_p95_ms_{name}={p95(by_reader):.1f}")
    print(f"search_cached_p50_ms={statistics.median(every):.1f}")
    print(f"search_cached_p95_ms={p95(every):.1f}")
    print(f"search_queries={max(statements)}")
    print(f"search_queries_min={min(statements)}")
    for name in readers_by_name:
        found = [counts[(name, q)] for q in queries]
        print(f"search_results_median_{name}={statistics.median(found):.0f}")
        print(f"search_no_result_{name}={sum(1 for n in found if n == 0)}")
    return {name: dict(zip(queries, by_reader, strict=True)) for name, by_reader in first.items()}, p95(computed)


def time_suggestions(queries, readers_by_name):
    from masar.search.selectors import suggest

    times, first = [], []
    for reader in readers_by_name.values():
        for q in queries:
            prefix = q[: max(2, (len(q) * 2) // 3)]
            ms, _ = time_call(lambda reader=reader, prefix=prefix: suggest(reader, prefix), first)
            times.append(ms)
    print(f"suggest_p50_ms={statistics.median(first):.1f}")
    print(f"suggest_p95_ms={p95(first):.1f}")  # computed; a second time it comes from the cache
    print(f"suggest_cached_p95_ms={p95(times):.1f}")


def time_pg_arabic(queries):
    """Time the same queries with PostgreSQL's `arabic` configuration over the same texts (no visibility)."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_pg_arabic")
        cursor.execute(
            "CREATE TABLE bench_pg_arabic AS SELECT id, to_tsvector('arabic', title_ar || ' ' || title_fr || ' ' ||"
            " body_ar || ' ' || body_fr || ' ' || body_en) AS vector FROM search_searchentry"
        )
        cursor.execute("CREATE INDEX bench_pg_arabic_vector ON bench_pg_arabic USING gin (vector)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bench_pg_arabic")
    print(f"pg_arabic_build_s={time.perf_counter() - start:.1f}")

    def run(q):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_rank(vector, query) AS rank FROM bench_pg_arabic, plainto_tsquery('arabic', %s) query"
                " WHERE vector @@ query ORDER BY rank DESC, id LIMIT 20",
                [q],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT count(*) FROM bench_pg_arabic, plainto_tsquery('arabic', %s) query WHERE vector @@ query", [q]
            )
            return cursor.fetchone()[0]

    times = [time_call(lambda q=q: run(q))[0] for q in queries]
    print(f"pg_arabic_p50_ms={statistics.median(times):.1f}")
    print(f"pg_arabic_p95_ms={p95(times):.1f}")
    return p95(times)


def explain(name, reader, q):
    """Print the time of each SQL statement of one search and EXPLAIN (ANALYZE, BUFFERS) of the slowest."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masar.search.selectors import SearchFilters, search

    cache.clear()  # the statements of a computed search, not of a cached one
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        search(reader, SearchFilters(q=q, limit=20))
        total = (time.perf_counter() - start) * 1000
    print(f"explain_{name}_query={q}")
    print(f"explain_{name}_total_ms={total:.1f}")
    timed = []
    with connection.cursor() as cursor:
        for i, statement in enumerate(captured.captured_queries):
            sql = statement["sql"]
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            ms = (time.perf_counter() - start) * 1000
            timed.append((ms, i, sql))
            print(f"explain_{name}_statement_{i}_ms={ms:.1f} {' '.join(sql.split())[:160]}")
    print(f"explain_{name}_sql_ms={sum(ms for ms, _, _ in timed):.1f}")
    for ms, i, sql in sorted(timed, reverse=True)[:3]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"# --- {name}: statement {i} ({ms:.1f} ms)\n# {sql}\n{plan}\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes (e.g. 0.02 for a quick check)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN of the slowest searches")
    parser.add_argument("--keep", action="store_true", help="keep the database (reused, as it is, by the next run)")
    parser.add_argument("--queries", type=int, default=QUERIES, help="time this many of the 50 queries, evenly spread")
    args = parser.parse_args(argv)
    url = database_url()
    created = database_create(url)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database={connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")  # PostgreSQL's JIT compiles costly statements: it weighs on every search
        print(f"jit={cursor.fetchone()[0]}")
    print(f"scale={args.scale}")
    reused = holds_only_bench_data()  # exits, before anything is dropped, on a database of other data
    try:
        if reused:
            print("generated=reused")
        else:
            generate(args.scale)
            analyze()
            build_index()
            analyze()
        print_sizes()
        queries = Vocabulary(random.Random(SEED)).queries()
        queries = [queries[i * QUERIES // args.queries] for i in range(min(args.queries, QUERIES))]
        print(f"queries={len(queries)}")
        print("# queries: " + " | ".join(queries), file=sys.stderr)
        by_name = readers()
        times, search_p95 = time_searches(queries, by_name)
        time_suggestions(queries, by_name)
        pg_p95 = time_pg_arabic(queries)
        print(f"ratio_to_pg_arabic={search_p95 / max(pg_p95, 0.01):.2f}")
        if args.explain:
            for name in ("national", "public"):
                slowest = max(times[name], key=times[name].get)
                explain(name, by_name[name], slowest)
    finally:
        if not args.keep:
            database_drop(url)
            print(f"database_dropped={int(True)}")
        elif created:
            print("database_kept=1")


if __name__ == "__main__":
    main()
