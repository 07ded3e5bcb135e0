"""The Django side of the load benchmark, run by `bench.load` in a subprocess against its own cluster.

    python -m bench.load_data prepare PLAN.json [--regional-users N]
    python -m bench.load_data request-jobs ACKS.jsonl [--count N]  # council packs, as acknowledged writes
    python -m bench.load_data verify ACKS.jsonl  # prints lost_writes=, duplicate_jobs=, ...

`prepare` gives each writer of the month-end mix its own work (projects whose monthly update it
sends, indicator cells whose values it uploads, an API token) so that two simulated people never
race for the same record: every refusal left in the figures is then the server's, not the script's.
`verify` re-reads from the database every write the server acknowledged (the lines the locust
users wrote in ACKS.jsonl) and counts those missing, and counts the background jobs done twice.
"""

import argparse
import collections
import datetime
import json
import os
import random
import re
import sys
from pathlib import Path

PASSWORD = "masar-demo"
DEMO_WRITERS = {"pm.finance": "coord.finance", "pm.mtc": "coord.mtc"}
# People who sign in with a password only: the national unit's accounts (admin, analyst) are left out, as
# they are to sign in with a second factor; they read through the API (a token) instead.
READERS = ["viewer", "coord.finance", "coord.mtc", "pm.finance", "pm.mtc"]
PROJECTS_PER_WRITER = 400
CELLS_PER_WRITER = 400


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    import django

    django.setup()


# --- prepare ---------------------------------------------------------------------------------


def regional_writers(count):
    """Give the synthetic ministries with most projects a project manager and a coordinator each."""
    from masar.accounts.models import User
    from masar.core.roles import Role
    from masar.organizations.models import Organization, OrganizationKind
    from masar.portfolio.models import Project

    candidates = Organization.objects.filter(kind=OrganizationKind.MINISTRY, code__startswith="SYN")
    sizes = {m: Project.objects.filter(owner__path__startswith=m.path).count() for m in candidates}
    ministries = sorted(sizes, key=lambda m: (-sizes[m], m.pk))[:count]
    pairs = {}
    for index, ministry in enumerate(ministries, start=1):
        names = (f"pm.load{index}", f"coord.load{index}")
        for name, role in zip(names, (Role.PROJECT_MANAGER, Role.SECTOR_COORDINATOR), strict=True):
            user, created = User.objects.get_or_create(username=name, defaults={"role": role, "organization": ministry})
            if created:
                user.set_password(PASSWORD)
                user.save()
        pairs[names[0]] = names[1]
        # The generator leaves projects without a manager: this one manages some of its ministry's.
        mine = Project.objects.filter(owner__path__startswith=ministry.path).order_by("pk")
        Project.objects.filter(pk__in=list(mine.values_list("pk", flat=True)[:PROJECTS_PER_WRITER])).update(
            manager=User.objects.get(username=names[0])
        )
    return pairs


def writable_projects(user):
    """Return projects this manager may report on that have a month left to report (the form offers it)."""
    from masar.delivery.models import ProgressUpdate
    from masar.delivery.selectors import update_start
    from masar.portfolio.models import Project

    ids = list(Project.objects.writable_by(user).values_list("pk", flat=True))
    random.Random(user.username).shuffle(ids)
    due = []
    for project in Project.objects.filter(pk__in=ids[: PROJECTS_PER_WRITER * 2]):
        if not ProgressUpdate.objects.filter(project=project, period=update_start(project).period).exists():
            due.append(project.pk)
    return due[:PROJECTS_PER_WRITER]


def _periods_back(frequency, today, count):
    """Return the starts of the `count` periods of a frequency that ended before today, newest first."""
    from masar.indicators.models import Frequency

    step = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}[frequency]
    month = today.year * 12 + today.month - 1
    month -= month % step  # the period under way
    return [datetime.date((m := month - step * k) // 12, m % 12 + 1, 1) for k in range(1, count + 1)]


def upload_cells(user):
    """Return [indicator id, period, kind] cells without a value that this user may upload (one value a row)."""
    from masar.core import policy
    from masar.indicators.models import Aggregation, Disaggregation, Indicator, IndicatorKind, Measurement

    today = datetime.date.today()
    cells = []
    indicators = Indicator.objects.visible_to(user).filter(disaggregation=Disaggregation.NATIONAL).order_by("pk")
    for indicator in indicators.exclude(kind=IndicatorKind.RATIO):
        if indicator.is_derived or indicator.effective_aggregation() == Aggregation.WEIGHTED_MEAN:
            continue
        if not policy.may_enter_values(user, indicator):
            continue
        taken = set(Measurement.objects.filter(indicator=indicator).values_list("period", flat=True))
        free = [p for p in _periods_back(indicator.frequency, today, 600) if p not in taken and p.year > 1900]
        cells += [[indicator.pk, period.isoformat(), indicator.kind] for period in free[:CELLS_PER_WRITER]]
    random.Random(user.username).shuffle(cells)
    return cells[:CELLS_PER_WRITER]


def prepare(plan_path, regional):
    from masar.accounts.models import User
    from masar.exchange.services import token_issue
    from masar.organizations.models import Organization, OrganizationKind
    from masar.portfolio.models import Project

    pairs = {**DEMO_WRITERS, **regional_writers(regional)}
    names = [*pairs, *pairs.values(), *READERS, "analyst"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    writers = []
    for pm, coordinator in pairs.items():
        writers.append(
            {
                "username": pm,
                "coordinator": coordinator,
                "projects": writable_projects(users[pm]),
                "cells": upload_cells(users[coordinator]),
                "token": token_issue(user=users[pm], name="bench.load", actor=None).secret,
                "must_act": users[pm].organization_id,
            }
        )
    public_projects = list(Project.objects.visible_to(None).values_list("pk", flat=True)[:200])
    # Pages every reader of the mix may open (a project hidden from one of them would be a 404 of the script's).
    readable = Project.objects.all()
    for name in READERS:
        readable = readable.filter(pk__in=Project.objects.visible_to(users[name]).values("pk"))
    # The large export is asked for by those who see more projects than a page sends at once; for the
    # others the same link is a synchronous download (the small export already in the mix).
    from masar.exports.views import BACKGROUND_THRESHOLD

    large = [name for name in READERS if Project.objects.visible_to(users[name]).count() > BACKGROUND_THRESHOLD]
    plan = {
        "password": PASSWORD,
        "large_export_readers": large,
        "writers": writers,
        "readers": READERS,
        "reader_token": token_issue(user=users["analyst"], name="bench.load", actor=None).secret,
        "projects": list(readable.values_list("pk", flat=True).order_by("?")[:500]),
        "public_projects": public_projects,
        "ministries": list(Organization.objects.filter(kind=OrganizationKind.MINISTRY).values_list("pk", flat=True)),
    }
    Path(plan_path).write_text(json.dumps(plan))
    print(f"writers={len(writers)}")
    print(f"writer_projects={sum(len(w['projects']) for w in writers)}")
    print(f"writer_cells={sum(len(w['cells']) for w in writers)}")
    print(f"public_projects={len(public_projects)}")
    print(f"large_export_readers={len(large)}")


# --- jobs and verification ------------------------------------------------------------------


def request_jobs(acks_path, count):
    """Ask for council packs as the national unit does the night before a council (acknowledged writes)."""
    from masar.accounts.models import User
    from masar.reports.services import pack_request

    admin = User.objects.get(username="admin")
    with Path(acks_path).open("a") as acks:
        for index in range(count):
            pack = pack_request(user=admin, language=("ar", "fr")[index % 2])
            acks.write(json.dumps({"kind": "pack_request", "key": pack.pk, "by": "harness"}) + "\n")
    print(f"packs_requested={count}")


def read_acks(path):
    acks = []
    if Path(path).exists():
        for line in Path(path).read_text().splitlines():
            if line.strip():
                acks.append(json.loads(line))
    return acks


def _exists(ack):
    """Whether an acknowledged write is in the database as acknowledged."""
    from masar.delivery.models import Obstacle, ProgressUpdate, UpdateStatus
    from masar.exports.models import Export
    from masar.indicators.models import Measurement
    from masar.reports.models import CouncilPack

    kind, key = ack["kind"], ack["key"]
    if kind == "update_submit":
        return ProgressUpdate.objects.filter(narrative__contains=key).exclude(status=UpdateStatus.DRAFT).exists()
    if kind == "update_approve":
        return ProgressUpdate.objects.filter(pk=key, status=UpdateStatus.APPROVED).exists()
    if kind == "values_upload":
        return Measurement.objects.filter(indicator_id=ack["indicator"], comment__contains=key).exists()
    if kind == "api_obstacle":
        return Obstacle.objects.filter(pk=ack["id"], description__contains=key).exists()
    if kind == "export_request":
        return Export.objects.filter(pk=key).exists()
    if kind == "pack_request":
        return CouncilPack.objects.filter(pk=key).exists()
    raise ValueError(f"unknown acknowledged write {kind!r}")


def job_files():
    """Return {("export"|"pack", id): number of files its builds left in MEDIA_ROOT}.

    Each build saves its file under a name made of the job's id; the storage never overwrites, so a
    second build of the same job leaves a second file (name with a random suffix).
    """
    from django.conf import settings

    counts = collections.Counter()
    root = Path(settings.MEDIA_ROOT)
    for path in (root / "exports").glob("*"):
        if match := re.match(r"(\d+)-", path.name):
            counts["export", int(match.group(1))] += 1
    for path in (root / "packs").glob("*"):
        if match := re.match(r"council-pack-(\d+)-", path.name):
            counts["pack", int(match.group(1))] += 1
    return counts


def verify(acks_path):
    from masar.exports.models import Export, ExportStatus
    from masar.reports.models import CouncilPack, PackStatus

    acks = read_acks(acks_path)
    lost = [ack for ack in acks if not _exists(ack)]
    by_kind = collections.Counter(ack["kind"] for ack in acks)
    lost_by_kind = collections.Counter(ack["kind"] for ack in lost)
    files = job_files()
    exports = [int(a["key"]) for a in acks if a["kind"] == "export_request"]
    packs = [int(a["key"]) for a in acks if a["kind"] == "pack_request"]
    duplicates = sum(1 for pk in exports if files["export", pk] > 1) + sum(1 for pk in packs if files["pack", pk] > 1)
    unfinished = Export.objects.filter(pk__in=exports).exclude(status=ExportStatus.DONE).count()
    unfinished += CouncilPack.objects.filter(pk__in=packs).exclude(status=PackStatus.DONE).count()
    failed = Export.objects.filter(pk__in=exports, status=ExportStatus.FAILED).count()
    failed += CouncilPack.objects.filter(pk__in=packs, status=PackStatus.FAILED).count()
    print(f"acknowledged_writes={len(acks)}")
    for kind in sorted(by_kind):
        print(f"acknowledged_{kind}={by_kind[kind]}")
    print(f"lost_writes={len(lost)}")
    for kind in sorted(lost_by_kind):
        print(f"lost_{kind}={lost_by_kind[kind]}")
    print(f"jobs={len(exports) + len(packs)}")
    print(f"duplicate_jobs={duplicates}")
    print(f"jobs_unfinished={unfinished}")
    print(f"jobs_failed={failed}")


def database_size():
    from django.db import connection

    from masar.delivery.models import ProgressUpdate
    from masar.indicators.models import Measurement
    from masar.portfolio.models import Project

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    print(f"data_projects={Project.objects.count()}")
    print(f"data_updates={ProgressUpdate.objects.count()}")
    print(f"data_measurements={Measurement.objects.count()}")
    print(f"data_db_mb={size / 1e6:.0f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser("prepare")
    prepare_parser.add_argument("plan")
    prepare_parser.add_argument("--regional-users", type=int, default=8)
    commands.add_parser("size")
    jobs_parser = commands.add_parser("request-jobs")
    jobs_parser.add_argument("acks")
    jobs_parser.add_argument("--count", type=int, default=3)
    verify_parser = commands.add_parser("verify")
    verify_parser.add_argument("acks")
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "prepare":
        prepare(args.plan, args.regional_users)
    elif args.command == "request-jobs":
        request_jobs(args.acks, args.count)
    elif args.command == "size":
        database_size()
    else:
        verify(args.acks)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
