"""Load and faults, measured: `python -m bench.load [--quick]`.

Starts its own PostgreSQL cluster (fsync on), its own Redis (append-only file, fsync always) and
Masar under gunicorn with two RQ workers, all on the loopback in the 188xx ports; loads the demo and a
synthetic national portfolio; then drives Masar with locust (bench/locustfile.py, in a subprocess)
with a month-end mix of people and systems, and prints key=value figures:

    rps, p50_ms, p95_ms, p99_ms, error_rate, errors_5xx   the mix at --users (50) for --duration
    public_cached_rps                                      only the cached public pages
    <scenario>_errors_during_fault, _recovery_s, _lost_writes, _duplicate_jobs
                                                           db_restart, redis_restart, worker_kill, web_worker_kill
    errors_5xx_outside_faults

Every write the server acknowledged is re-read from the database at the end of its run (lost_writes);
duplicate_jobs counts council packs and exports built more than once. Everything started is stopped
on exit, error or Ctrl+C, and the temporary folder removed (--keep to look at the logs).
"""

import argparse
import atexit
import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load_services import PYTHON, ROOT, Stack, http_ok

PG_PORT, REDIS_PORT, WEB_PORT = 18832, 18879, 18880
SCENARIOS = ["db_restart", "redis_restart", "worker_kill", "web_worker_kill"]
JOBS_PENDING_SQL = (
    "SELECT (SELECT count(*) FROM exports_export WHERE status IN ('queued','running') AND created_at >= {since})"
    " + (SELECT count(*) FROM reports_councilpack WHERE status IN ('queued','running') AND created_at >= {since})"
)
RECOVERY_GAP = 5.0  # seconds without a failure after which a fault is over


class Timeout(Exception):
    pass


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="masar-load-"))
    stack = Stack(
        workdir=workdir, pg_port=PG_PORT, redis_port=REDIS_PORT, web_port=WEB_PORT, web_workers=args.web_workers
    )
    atexit.register(stack.stop)

    def interrupted(signum, frame):
        raise Timeout("global timeout reached" if signum == signal.SIGALRM else f"signal {signum}")

    signal.signal(signal.SIGALRM, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(
        signal.SIGINT, signal.default_int_handler
    )  # Ctrl+C stops everything, even when started in the background
    signal.alarm(args.timeout)
    started = time.monotonic()
    try:
        run(args, stack, workdir)
    finally:
        signal.alarm(0)
        stack.stop()
        if args.keep:
            print(f"workdir={workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"total_s={time.monotonic() - started:.0f}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer users, shorter runs, a smaller portfolio (~3 min)")
    parser.add_argument("--users", type=int, default=None, help="simulated users of the mix (default 50)")
    parser.add_argument("--duration", type=int, default=None, help="seconds of the mix run (default 60)")
    parser.add_argument("--fault-duration", type=int, default=None, help="seconds of each fault run (default 36)")
    parser.add_argument("--projects", type=int, default=None, help="synthetic projects (default 25000)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, or 'none'")
    parser.add_argument("--web-workers", type=int, default=5, help="gunicorn workers when no config file (2*cores+1)")
    parser.add_argument("--timeout", type=int, default=20 * 60, help="stop everything after this many seconds")
    parser.add_argument(
        "--data-cache", help="a folder where the built database is kept, reused while migrations and demo are the same"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, acks, timelines)")
    args = parser.parse_args()
    quick = args.quick
    args.users = args.users or (20 if quick else 50)
    args.duration = args.duration or (25 if quick else 60)
    args.fault_duration = args.fault_duration or (16 if quick else 36)
    args.public_duration = 10 if quick else 20
    # 25,000 projects: some readers see more than an export sends at once (20,000), so theirs are queued.
    args.projects = args.projects if args.projects is not None else (2000 if quick else 25000)
    args.job_wait = 30 if quick else 90
    args.scenarios = [] if args.scenarios == "none" else args.scenarios.split(",")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def run(args, stack, workdir):
    build(args, stack, workdir)
    stack.start_workers()
    stack.start_web()
    warm_up(stack)
    outside_5xx = 0

    mix = drive(stack, workdir / "mix", users=args.users, duration=args.duration, mix="month_end")
    # The headline figures are those of the steady state: once every user has signed in.
    steady = steady_rows(mix.rows, args.users)
    figures = summary(steady)
    print(f"users={args.users}")
    print(f"steady_s={steady[-1][0] - steady[0][0] if steady else 0:.0f}")
    logins = [r[1] for r in mix.rows if r[4] == "login"]
    print(f"login_p50_ms={statistics.median(logins) if logins else 0:.0f}")
    for name in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "error_rate", "errors_5xx"):
        print(f"{name}={figures[name]}")
    outside_5xx += figures["errors_5xx"]
    wait_jobs(stack, args.job_wait, since=mix.epoch)
    report(verify(stack, mix.out), "mix")

    public = drive(stack, workdir / "public", users=args.users, duration=args.public_duration, mix="public")
    public_figures = summary(steady_rows(public.rows, args.users))
    print(f"public_cached_rps={public_figures['rps']}")
    print(f"public_cached_p99_ms={public_figures['p99_ms']}")
    print(f"public_cached_error_rate={public_figures['error_rate']}")
    outside_5xx += public_figures["errors_5xx"]

    for scenario in args.scenarios:
        try:
            outside_5xx += fault_run(args, stack, workdir, scenario)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:  # the next scenarios still run
            print(f"{scenario}_error={str(error).splitlines()[0] if str(error) else type(error).__name__}")
            stack.heal()
    print(f"errors_5xx_outside_faults={outside_5xx}")
    # Every pack and export of the whole run, acknowledged or not (a request that failed after recording its
    # job counts here), still waiting or running when everything settled.
    print(f"jobs_not_done_total={stack.psql(JOBS_PENDING_SQL.format(since='to_timestamp(0)'))}")


def build(args, stack, workdir):
    """Start the database and Redis, migrate and load the data; print its size and the time it took."""
    start = time.monotonic()
    cached = data_cache(args)
    stack.start_redis()
    stack.start_postgres(copy_of=cached if cached and cached.exists() else None)
    if cached and cached.exists():
        print(f"data_cache={cached}")
        stack.manage("collectstatic", "--noinput", "-v0")
    else:
        load_data(args, stack)
        if cached:
            stack.snapshot(cached)
    print(f"data_build_s={time.monotonic() - start:.0f}")
    print(stack.manage("-m", "bench.load_data", "size").strip())
    print(stack.manage("-m", "bench.load_data", "prepare", str(workdir / "plan.json")).strip())


def data_cache(args):
    """Return the folder of the cached data for this code and these options (None without --data-cache)."""
    if not args.data_cache:
        return None
    digest = hashlib.sha256(f"{args.projects}".encode())
    sources = sorted(ROOT.glob("masar/*/migrations/*.py")) + sorted((ROOT / "masar" / "demo").rglob("*"))
    for path in sources:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return Path(args.data_cache) / digest.hexdigest()[:16]


def load_data(args, stack):
    steps = [
        ("migrate", ["migrate", "--noinput", "-v0"]),
        ("collectstatic", ["collectstatic", "--noinput", "-v0"]),
        ("demo", ["load_demo"]),
    ]
    if args.projects:
        organizations = str(max(50, args.projects // 40))
        steps.append(("portfolio", ["generate_portfolio", "--projects", str(args.projects),
                                    "--organizations", organizations, "--years", "10", "--seed", "1"]))  # fmt: skip
    for name, command in steps:
        step = time.monotonic()
        stack.manage(*command)
        print(f"data_{name}_s={time.monotonic() - step:.0f}")


def warm_up(stack):
    """Load every gunicorn worker's code and the caches once, as a deployment's first visitors would."""
    for _ in range(3 * stack.web_workers):
        for path in ("/ar/", "/ar/dashboards/public/", "/fr/dashboards/public/", "/en/dashboards/public/"):
            http_ok(stack.base_url + path)


class Run:
    def __init__(self, out, proc):
        self.out, self.proc, self.rows = out, proc, []
        self.started = time.monotonic()
        self.epoch = time.time() - 1

    def wait(self, stack, timeout):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            stack.tick()
            time.sleep(0.5)
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.rows = read_timeline(self.out / "timeline.csv")
        if not self.rows:
            log = (self.out / "locust.log").read_text(errors="replace").strip().splitlines()
            raise RuntimeError(f"locust made no request in {self.out.name}: {' / '.join(log[-3:])}")
        return self


def start_locust(stack, out, *, users, duration, mix):
    out.mkdir(parents=True, exist_ok=True)
    env = stack.env()
    stack.runs_started = getattr(stack, "runs_started", -1) + 1
    env.update(
        LOAD_PLAN=str(out.parent / "plan.json"),
        LOAD_OUT=str(out),
        LOAD_MIX=mix,
        LOAD_RUN=str(stack.runs_started),
        LOAD_RUNS=str(2 + len(SCENARIOS)),
    )
    command = [
        PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{duration}s", "--stop-timeout", "5",
        "--host", stack.base_url, "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    log = (out / "locust.log").open("wb")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack.procs[f"locust-{out.name}"] = proc  # stopped with the rest on any exit
    return Run(out, proc)


def drive(stack, out, *, users, duration, mix):
    run = start_locust(stack, out, users=users, duration=duration, mix=mix)
    return run.wait(stack, timeout=duration + 60)


def steady_rows(rows, users):
    """Return the requests after the ramp-up (users spawned at users/5 a second) and two seconds more."""
    if not rows:
        return rows
    start = rows[0][0] - rows[0][1] / 1000 + 5 + 2
    return [r for r in rows if r[0] - r[1] / 1000 >= start] or rows


def read_timeline(path):
    rows = []
    if path.exists():
        for line in path.read_text().splitlines():
            end, duration, status, failed, name = line.split(",", 4)
            failed = failed == "1" or status == "0" or int(status) >= 400  # no answer, an error, or a check
            rows.append((float(end), float(duration), int(status), failed, name))
    rows.sort()
    return rows


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(rows):
    if not rows:
        return dict(requests=0, rps=0, p50_ms=0, p95_ms=0, p99_ms=0, error_rate=0, errors_5xx=0)
    times = [r[1] for r in rows]
    span = max(rows[-1][0] - rows[0][0], 1e-3)
    return dict(
        requests=len(rows),
        rps=f"{len(rows) / span:.1f}",
        p50_ms=f"{statistics.median(times):.0f}",
        p95_ms=f"{percentile(times, 0.95):.0f}",
        p99_ms=f"{percentile(times, 0.99):.0f}",
        error_rate=f"{sum(r[3] for r in rows) / len(rows):.4f}",
        errors_5xx=sum(1 for r in rows if r[2] >= 500),
    )


def fault_window(rows, t0, restored):
    """Return (errors during the fault, seconds to recover, end of the window).

    The window runs from the fault to the last failure of the burst it caused (failures less than
    RECOVERY_GAP apart, from the moment the harness restored the part); recovery is the first success
    after that burst. A fault that made no request fail recovers in 0 s.
    """
    end = restored
    for when, _, _, failed, _ in rows:
        if failed and when >= t0:
            if when - end > RECOVERY_GAP:
                break
            end = max(end, when)
    errors = sum(1 for when, _, _, failed, _ in rows if failed and t0 <= when <= end)
    if not errors:
        return 0, 0.0, end
    first_success = next((when for when, _, _, failed, _ in rows if not failed and when > end), end)
    return errors, first_success - t0, end


def inject(stack, scenario):
    """Inject one fault; return the time (epoch) the part was back (the harness's own restart)."""
    if scenario == "db_restart":
        stack.restart_postgres()
    elif scenario == "redis_restart":
        stack.stop_redis()
        time.sleep(5)  # down long enough for requests and workers to notice
        stack.start_redis()
    elif scenario == "worker_kill":
        name = wait_busy_worker(stack, timeout=30)
        print(f"worker_kill_target={name or 'none'}")
        stack.kill_worker(name or "worker0")
        time.sleep(2)  # a supervisor (systemd, a container runtime) starts it again
        stack.restart_worker(name or "worker0")
    elif scenario == "web_worker_kill":
        pids = stack.web_worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
    return time.time()


def wait_busy_worker(stack, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        name = stack.busy_worker()
        if name:
            return name
        time.sleep(0.2)
    return None


def fault_run(args, stack, workdir, scenario):
    """Run the mix with one fault in its middle; print its figures and return the 5xx outside the fault."""
    duration = args.fault_duration
    mix = "jobs" if scenario == "worker_kill" else "month_end"
    run = start_locust(stack, workdir / scenario, users=args.users, duration=duration, mix=mix)
    if scenario == "worker_kill":  # packs asked for now are being built when the fault comes
        stack.manage("-m", "bench.load_data", "request-jobs", str(run.out / "acks.jsonl"), "--count", "4")
    time.sleep(max(0.0, run.started + duration * 0.4 - time.monotonic()))
    t0 = time.time()
    restarts = stack.worker_restarts
    restored = inject(stack, scenario)
    run.wait(stack, timeout=duration + 60)
    errors, recovery, end = fault_window(run.rows, t0, restored)
    outside = [r for r in run.rows if not (t0 <= r[0] <= end)]
    wait_jobs(stack, args.job_wait, since=run.epoch)
    print(f"{scenario}_worker_restarts={stack.worker_restarts - restarts}")
    figures = verify(stack, run.out)
    print(f"{scenario}_requests={len(run.rows)}")
    print(f"{scenario}_errors_during_fault={errors}")
    print(f"{scenario}_recovery_s={recovery:.1f}")
    print(f"{scenario}_lost_writes={figures.get('lost_writes', '?')}")
    print(f"{scenario}_duplicate_jobs={figures.get('duplicate_jobs', '?')}")
    report(figures, scenario, skip=("lost_writes", "duplicate_jobs"))
    return sum(1 for r in outside if r[2] >= 500)


def wait_jobs(stack, timeout, since):
    """Wait (bounded) until no pack or export asked for since `since` is queued or running, so verify sees them."""
    sql = JOBS_PENDING_SQL.format(since=f"to_timestamp({since:.0f})")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.tick()
        if stack.psql(sql) == "0":
            return
        time.sleep(1)


def verify(stack, out):
    text = stack.manage("-m", "bench.load_data", "verify", str(out / "acks.jsonl"))
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def report(figures, prefix, skip=()):
    for name, value in figures.items():
        if name not in skip:
            print(f"{prefix}_{name}={value}")


if __name__ == "__main__":
    main()
