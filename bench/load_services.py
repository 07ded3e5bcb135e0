"""The processes of the load benchmark: its own PostgreSQL cluster, Redis, gunicorn and task workers.

Every process is started in its own session (process group), remembered, and stopped by `Stack.stop`
(called from a `finally` and from atexit), so an interrupted run leaves nothing behind. Nothing here
ever touches the machine's shared services on 5432 and 6379.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
FORBIDDEN_PORTS = {5432, 6379}
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The task workers, and commands run periodically beside them (a sweep of jobs whose worker died, when
# the project has one). One list each, so a change of the job design is a change of one line here.
WORKER_COMMANDS = [
    ["manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler", "default"],
    ["manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler", "default"],
]
# (every seconds, command): the sweep that queues again a job whose worker died, as bin/serve runs it.
PERIODIC_COMMANDS: list[tuple[float, list[str]]] = [(5, ["manage.py", "jobs_sweep"])]
GUNICORN_CONFIG = ROOT / "masar" / "gunicorn.conf.py"


def port_free(port):
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout} s")


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the loopback, never through a proxy


def http_status(url):
    """Return the status of a GET (0 when nothing answers)."""
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def http_ok(url):
    return 0 < http_status(url) < 500


class Stack:
    """Start and stop the benchmark's own services; every child is tracked by its process group."""

    def __init__(self, *, workdir, pg_port, redis_port, web_port, web_workers):
        self.dir = Path(workdir)
        self.pg_port, self.redis_port, self.web_port = pg_port, redis_port, web_port
        self.web_workers = web_workers
        self.pg_data = self.dir / "pg"
        self.media = self.dir / "media"
        self.logs = self.dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs = {}  # name -> Popen
        self.periodic_last = {}
        self.worker_restarts = 0  # task workers found dead and started again by `tick`
        self.restarted_at = {}
        for port in (pg_port, redis_port, web_port):
            if port in FORBIDDEN_PORTS:
                raise RuntimeError(f"port {port} is a shared service's: refusing")
            if not port_free(port):
                raise RuntimeError(f"port {port} is in use: is another benchmark running?")

    # --- environment ---------------------------------------------------------------------

    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/masar"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.web_port}"

    def env(self):
        env = dict(os.environ)
        for name in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URLS"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE="masar.settings",
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            TASKS_BACKEND="rq",
            DEBUG="0",
            SECRET_KEY="masar-load-benchmark-only-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            MEDIA_DIR=str(self.media),
            STATIC_ROOT=str(self.dir / "static"),
            GUNICORN_WORKERS=str(self.web_workers),
            # A dead worker's job is taken over after 10 s instead of 5 minutes, so the fault runs see it finish.
            JOB_LEASE_SECONDS="10",
            JOB_REQUEUE_SECONDS="20",
            LOG_LEVEL="ERROR",
            PYTHONUNBUFFERED="1",
            # the harness's own traffic must never go through a proxy
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
        )
        return env

    def manage(self, *args, timeout=600, capture=True):
        """Run a management command (or `-m module`) against the benchmark's database; return its stdout."""
        command = [PYTHON, *args] if args[0] in ("-m",) else [PYTHON, "manage.py", *args]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env(), timeout=timeout, capture_output=capture, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def _spawn(self, name, command, *, env=None, user_postgres=False):
        log = (self.logs / f"{name}.log").open("ab")
        if user_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        self.procs[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.procs[name]

    # --- PostgreSQL ----------------------------------------------------------------------

    def pg_ctl(self, *args, timeout=120):
        # Output to a file, never a pipe: a server started by pg_ctl would keep the pipe open for good.
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), *args]
        with (self.logs / "pg_ctl.log").open("a+") as log:
            start = log.tell()
            result = subprocess.run(command, timeout=timeout, stdout=log, stderr=subprocess.STDOUT, check=False)
            if result.returncode != 0:
                log.seek(start)
                raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {log.read()}")

    def start_postgres(self, copy_of=None):
        """Create the cluster (or copy a cached one, with its media folder) and start it."""
        os.chmod(self.dir, 0o755)
        shutil.chown(self.logs, "postgres")  # the server writes its log there; root still can
        if copy_of is not None:
            shutil.copytree(Path(copy_of) / "pg", self.pg_data)
            shutil.copytree(Path(copy_of) / "media", self.media, dirs_exist_ok=True)
            subprocess.run(["chown", "-R", "postgres:", str(self.pg_data)], check=True)
        else:
            self.pg_data.mkdir()
            shutil.chown(self.pg_data, "postgres")
            subprocess.run(
                ["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-U",
                 "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        self._pg_start()
        if copy_of is None:
            self.psql("CREATE DATABASE masar", database="postgres")

    def snapshot(self, dest):
        """Copy the stopped cluster and the media folder to dest (a data cache), then start it again."""
        self.pg_ctl("-m", "fast", "-w", "stop")
        partial = Path(f"{dest}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(self.pg_data, partial / "pg")
        self.media.mkdir(exist_ok=True)
        shutil.copytree(self.media, partial / "media")
        partial.rename(dest)
        self._pg_start()

    def _pg_start(self):
        options = (
            f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pg_data} -c fsync=on "
            "-c synchronous_commit=on -c max_connections=200 -c shared_buffers=256MB"
        )
        self.pg_ctl("-o", options, "-l", str(self.logs / "postgres.log"), "-w", "start")
        self.pg_started = True

    def psql(self, sql, database="masar"):
        result = subprocess.run(
            [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d", database,
             "-AtXq", "-c", sql],
            check=True, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return result.stdout.strip()

    def restart_postgres(self):
        """Restart the primary as an operator would (fast shutdown: open sessions are cut)."""
        self.pg_ctl("-m", "fast", "-l", str(self.logs / "postgres.log"), "-w", "restart")

    # --- Redis ---------------------------------------------------------------------------

    def start_redis(self):
        # appendfsync always: a job Redis acknowledged is on disk before the web request answers,
        # so stopping Redis (or killing it) loses no queued job; no RDB snapshots (the AOF is the record).
        (self.dir / "redis").mkdir(exist_ok=True)
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(self.dir / "redis"),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "yes"],
        )  # fmt: skip
        wait_for(self.redis_up, 20, "redis")

    def redis_up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self):
        self._stop("redis", signal.SIGTERM)

    # --- Masar ---------------------------------------------------------------------------

    def gunicorn_command(self):
        command = [PYTHON, "-m", "gunicorn", "masar.wsgi", "--bind", f"127.0.0.1:{self.web_port}"]
        if GUNICORN_CONFIG.exists():
            return [*command, "-c", str(GUNICORN_CONFIG)]
        # Until the project's configuration lands: the same choices on the command line.
        return [*command, "--workers", str(self.web_workers), "--timeout", "30", "--graceful-timeout", "20",
                "--keep-alive", "5", "--max-requests", "0"]  # fmt: skip

    def start_web(self):
        env = self.env()
        env.setdefault("WEB_CONCURRENCY", str(self.web_workers))
        self._spawn("gunicorn", self.gunicorn_command(), env=env)
        ready = (f"{self.base_url}/healthz", f"{self.base_url}/ar/")
        wait_for(lambda: any(http_status(url) == 200 for url in ready), 120, "gunicorn")

    def web_worker_pids(self):
        master = self.procs["gunicorn"].pid
        return [pid for pid in _children(master)]

    def start_workers(self):
        for index, command in enumerate(WORKER_COMMANDS):
            self._spawn(f"worker{index}", [PYTHON, *command])

    def tick(self):
        """Act as a supervisor would: start a task worker that died again, run the periodic commands due.

        Called by the harness about twice a second while it waits; the restarts are counted.
        """
        for index in range(len(WORKER_COMMANDS)):
            proc = self.procs.get(f"worker{index}")
            recently = time.monotonic() - self.restarted_at.get(index, 0) < 2  # a supervisor's back-off
            if proc is not None and proc.poll() is not None and not recently:
                self.worker_restarts += 1
                self.restarted_at[index] = time.monotonic()
                self.restart_worker(f"worker{index}")
        for every, command in PERIODIC_COMMANDS:
            key = tuple(command)
            if time.monotonic() - self.periodic_last.get(key, 0) >= every:
                self.periodic_last[key] = time.monotonic()
                subprocess.Popen([PYTHON, *command], cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip

    def busy_worker(self):
        """Return the name of a task worker running a job (RQ forks a work horse per job), or None."""
        for name, proc in self.procs.items():
            if name.startswith("worker") and proc.poll() is None and _children(proc.pid):
                return name
        return None

    def kill_worker(self, name):
        """Kill a worker and its work horse at once, as a machine failing would.

        RQ puts each work horse in a session of its own (setsid), so the worker's process group does not
        hold it: the horse is killed by its id first, then the worker's group.
        """
        proc = self.procs.get(name)
        if proc is not None:
            for pid in _descendants(proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._stop(name, signal.SIGKILL)

    def restart_worker(self, name):
        index = int(name.removeprefix("worker"))
        self._spawn(name, [PYTHON, *WORKER_COMMANDS[index]])

    # --- stopping ------------------------------------------------------------------------

    def _stop(self, name, sig=signal.SIGTERM, timeout=15):
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def heal(self):
        """Bring every part back after a scenario that went wrong, so the next one starts whole."""
        for name in [n for n in self.procs if n.startswith("locust")]:
            self._stop(name)
        status = subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "status"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        if status.returncode != 0:
            self._pg_start()
        if not self.redis_up():
            self._stop("redis")
            self.start_redis()
        for index in range(len(WORKER_COMMANDS)):
            proc = self.procs.get(f"worker{index}")
            if proc is None or proc.poll() is not None:
                self.restart_worker(f"worker{index}")
        if self.procs.get("gunicorn") is None or self.procs["gunicorn"].poll() is not None:
            self.start_web()

    def stop(self):
        for name in [n for n in self.procs if n != "redis"]:
            self._stop(name)
        self._stop("redis")
        if getattr(self, "pg_started", False):
            self.pg_started = False
            try:
                self.pg_ctl("-m", "immediate", "-w", "stop", timeout=60)
            except (subprocess.SubprocessError, OSError):
                pass


def _descendants(pid):
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _children(pid):
    """Return the ids of a process's children (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found
