"""Benchmark the red flags at national size: `python -m bench.integrity [--contracts N] [--fresh]`.

Works in a database of its own: with DATABASE_URL pointing at PostgreSQL, the database
`masar_bench_integrity` on that server (created when missing); otherwise the SQLite file
`masar_bench_integrity.sqlite3` in the temporary directory. The national portfolio (500 organizations,
20,000 projects, `manage.py generate_portfolio` with three months of history) is generated once and
reused; the procurement trail (`manage.py generate_procurement`: 200,000 tenders each with its contract,
a million bids, payments, amendments, planted schemes) is generated again at each run, since the planted
truth is what the generator returns.

Then runs the rule set through Masar's code (`masar.integrity.rules.evaluate()`), the statistical
detectors (`masar.integrity.statistics`) and the whole detection run (alerts upserted), and prints
key=value lines:

- portfolio_s (when generated), generate_s, contracts, bids, payments, suppliers;
- flags_s: `evaluate()` over every rule, on a warm process (a first run captured its SQL);
- flags_raw_s: the SELECT statements of that first run executed bare on a cursor, all rows fetched;
  flags_raw_sql_ratio = flags_s / flags_raw_s (what Masar's Python adds to the database's own work);
- rule_s for each rule (rule=R018 seconds=...), benford_s, isolation_forest_s, detection_run_s;
- per rule `rule=R018 cases=.. caught=.. findings=.. precision=.. recall=..`: recall is the share of planted
  cases of which the rule found at least one key; precision the share of the rule's findings whose key
  belongs to a planted case. For rules that fire on ordinary data at their natural rate (the outlier
  rules, Benford, Isolation Forest) precision is not a false-alarm rate: nothing says the ordinary
  data is clean of what they look for.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.integrity
"""

import argparse
import logging
import time

from bench.own_database import database_url, setup_django

DATABASE = "masar_bench_integrity"
SEED = 15


def analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def ensure_portfolio(projects):
    from django.core.management import call_command

    from masar.portfolio.models import Project

    if Project.objects.exists():
        print("portfolio=reused")
        return
    started = time.perf_counter()
    call_command(
        "generate_portfolio",
        organizations=500,
        regions=25,
        projects=projects,
        years=10,
        seed=1,
        months=3,
        verbosity=0,
    )
    print(f"portfolio_s={time.perf_counter() - started:.1f}")


def generate(contracts, bids_per_tender):
    from masar.integrity.models import Bid, Contract, Payment, Supplier
    from masar.integrity.synthetic import procurement_generate

    started = time.perf_counter()
    report = procurement_generate(seed=SEED, contracts=contracts, bids_per_tender=bids_per_tender, clear=True)
    print(f"generate_s={time.perf_counter() - started:.1f}")
    started = time.perf_counter()
    analyze()
    print(f"analyze_s={time.perf_counter() - started:.1f}")
    print(f"contracts={Contract.objects.count()}")
    print(f"bids={Bid.objects.count()}")
    print(f"payments={Payment.objects.count()}")
    print(f"suppliers={Supplier.objects.count()}")
    return report


def statements_of(function):
    """Run function and return its result and the SELECT statements it ran (captured as the database got them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = function()
    # The first word, not the first six characters: "WITH c AS" starts "WITH C", which left every
    # statement with a common table expression (the heaviest of the rules) out of the replay.
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].split(None, 1)[0].upper() in ("SELECT", "WITH")]
    return result, reads


def replay(reads):
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def keys_of(results, found):
    for result in results.values():
        for finding in result.findings:
            found.setdefault(finding.rule, set()).add(finding.key)


def measure_rules(found):
    """Time the rule set through Masar's code against its own SQL run bare; return nothing if it is absent."""
    try:
        from masar.integrity.rules import RULES, evaluate
    except ImportError:
        print("rules=absent")
        return
    _results, reads = statements_of(evaluate)  # the first run: warms the process, captures the SQL
    started = time.perf_counter()
    results = evaluate()
    flags = time.perf_counter() - started
    raw = replay(reads)
    print(f"rules={len(RULES)}")
    print(f"flags_s={flags:.2f}")
    print(f"flags_statements={len(reads)}")
    print(f"flags_raw_s={raw:.2f}")
    print(f"flags_raw_sql_ratio={flags / max(raw, 1e-6):.2f}")
    for code in sorted(RULES):
        started = time.perf_counter()
        evaluate([code])
        print(f"rule={code} seconds={time.perf_counter() - started:.2f} not_computable={results[code].not_computable}")
    keys_of(results, found)


def measure_statistics(found):
    try:
        from masar.integrity.statistics import benford_findings, isolation_forest_findings
    except ImportError:
        print("statistics=absent")
        return
    params = {}  # each detector's defaults (the national unit's settings are the detection run's business)
    started = time.perf_counter()
    benford = benford_findings(params)
    print(f"benford_s={time.perf_counter() - started:.2f}")
    started = time.perf_counter()
    forest = isolation_forest_findings(params)
    print(f"isolation_forest_s={time.perf_counter() - started:.2f}")
    keys_of({"BENFORD": benford, "IFOREST": forest}, found)


def measure_detection_run():
    try:
        from masar.integrity.detection import detection_run
    except ImportError:
        print("detection=absent")
        return
    started = time.perf_counter()
    run = detection_run()
    print(f"detection_run_s={time.perf_counter() - started:.2f}")
    counts = run.counts or {}
    print(f"detection_run_rules={len(counts)}")
    if run.error:
        print(f"detection_run_error={run.error.splitlines()[-1] if run.error else ''}")


def print_scores(planted, found):
    from masar.integrity.synthetic import score

    def shown(value):
        return "n/a" if value is None else f"{value:.3f}"

    for rule, s in score(planted, found).items():
        print(
            f"rule={rule} cases={s['cases']} caught={s['caught']} findings={s['findings']} "
            f"precision={shown(s['precision'])} recall={shown(s['recall'])}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contracts", type=int, default=200_000)
    parser.add_argument("--bids-per-tender", type=float, default=5.0)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    args = parser.parse_args(argv)
    setup_django(database_url(DATABASE, args.fresh))
    logging.getLogger("masar").setLevel(logging.ERROR)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database={connection.vendor}")
    ensure_portfolio(args.projects)
    report = generate(args.contracts, args.bids_per_tender)
    found = {}
    measure_rules(found)
    measure_statistics(found)
    print_scores(report.planted, found)
    measure_detection_run()


if __name__ == "__main__":
    main()
