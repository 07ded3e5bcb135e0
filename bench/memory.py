"""Measure the worker's memory on its biggest jobs at national size: `python -m bench.memory`.

Builds, as the worker does (the same services its tasks call), the biggest export of each kind in
each format and the national council pack, for a national reader, and prints for each the peak of
Python memory allocated while it was built (`tracemalloc`, in MB) and the seconds it took (a run
without tracing, so the time is the worker's, not the tracer's). The aim is < 200 MB for each.
Prints key=value lines. Run it against PostgreSQL with the realistic national dataset (a copy of
`masar_bench_national`) or, without it, the synthetic portfolio it generates itself:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_stream
    .venv/bin/python -m bench.memory

tracemalloc counts what Python allocates (rows, model instances, strings, WeasyPrint's boxes), not
what C libraries allocate on their own (libpq's result buffers, Pango); `worker_maxrss_mb` gives the
process's peak resident size over the whole run as the outer bound.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

MB = 1024 * 1024
FORMATS = ("csv", "xlsx")
USERNAME = "bench-memory"
VERBOSE = False  # main() prints each figure as soon as it is measured


def national_reader() -> Any:
    """Return the national administrator the jobs are built for (made once, kept between runs)."""
    from masar.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"role": Role.NATIONAL_ADMIN})
    return user


def biggest_queries() -> dict[str, str]:
    """Return the query string of the biggest export of each kind a person can ask for.

    Every list is exported whole except the indicator values, which are exported one indicator at
    a time: the one with the most values stands for the biggest.
    """
    from django.db.models import Count

    from masar.indicators.models import Measurement

    busiest = (
        Measurement.objects.values("indicator__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("indicator__code", flat=True)
    ).first()
    queries = {"projects": "", "obstacles": "", "decisions": ""}
    if busiest is not None:
        queries["indicator-values"] = f"indicator={busiest}"
    return queries


def traced(function: Callable[[], Any]) -> float:
    """Return the peak of Python memory (MB) allocated while function ran, above what was held before."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MB


def build_export(user: Any, kind: str, fmt: str, query: str) -> int:
    """Build one export as the worker's task does, then remove its row and file; return its rows."""
    from masar.exports.models import Export, ExportStatus
    from masar.exports.services import export_build

    export = Export.objects.create(user=user, kind=kind, format=fmt, query=query, language="ar")
    try:
        export = export_build(export=export)
        assert export.status == ExportStatus.DONE, (kind, fmt, export.error)
        return export.rows_written
    finally:
        if export.file:
            export.file.delete(save=False)
        export.delete()


def build_pack(user: Any) -> None:
    """Build the national council pack as the worker's task does, up to the reader's clearance, then remove it."""
    from masar.core.policy import max_clearance
    from masar.reports.models import CouncilPack, PackStatus
    from masar.reports.services import pack_build

    pack = CouncilPack.objects.create(requested_by=user, language="ar", classification=max_clearance(user))
    try:
        pack_build(pack_id=pack.pk)
        pack.refresh_from_db()
        assert pack.status == PackStatus.DONE, pack.error
    finally:
        if pack.file:
            pack.file.delete(save=False)
        pack.delete()


def measure(figures: dict[str, float], name: str, function: Callable[[], Any]) -> Any:
    """Run function once timed, once traced; record its seconds and peak MB, and return what it returned."""
    gc.collect()
    start = time.perf_counter()
    result = function()
    figures[f"{name}_s"] = round(time.perf_counter() - start, 2)
    figures[f"{name}_peak_mb"] = round(traced(function), 1)
    if VERBOSE:  # a long run shows its figures as they come
        print(f"{name}_s={figures[f'{name}_s']:g}\n{name}_peak_mb={figures[f'{name}_peak_mb']:g}", flush=True)
    return result


def memory_figures() -> dict[str, float]:
    """Return the peak memory (MB) and seconds of the biggest export of each kind and of the national pack.

    Assumes Django is set up and the data is there; builds each job twice (once timed, once traced).
    """
    return collect(exports=True, pack=True)


def collect(*, exports: bool, pack: bool) -> dict[str, float]:
    user = national_reader()
    figures: dict[str, float] = {}
    for kind, query in biggest_queries().items() if exports else ():
        for fmt in FORMATS:
            name = f"export_{kind.replace('-', '_')}_{fmt}"
            rows = measure(figures, name, functools.partial(build_export, user, kind, fmt, query))
            figures[f"{name}_rows"] = float(rows)
    if pack:
        measure(figures, "pack", functools.partial(build_pack, user))
    figures["worker_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", choices=["exports", "pack"], help="measure only the exports or only the pack")
    args = parser.parse_args()
    from bench.dashboards import ensure_data, setup_django

    global VERBOSE
    VERBOSE = True
    setup_django()
    from django.db import connection

    from masar.decisions.models import Decision
    from masar.delivery.models import Obstacle, ProjectHealth
    from masar.indicators.models import Measurement
    from masar.portfolio.models import Project

    ensure_data(health=True)
    print(f"database={connection.vendor}")
    print(f"load_average={' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"projects={Project.objects.count()}")
    print(f"ratings={ProjectHealth.objects.count()}")
    print(f"obstacles={Obstacle.objects.count()}")
    print(f"decisions={Decision.objects.count()}")
    print(f"measurements={Measurement.objects.count()}")
    figures = collect(exports=args.only != "pack", pack=args.only != "exports")
    for key, value in figures.items():
        if not key.endswith(("_s", "_peak_mb")):  # those were printed as they came
            print(f"{key}={value:g}")
    print(f"load_average_after={' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
