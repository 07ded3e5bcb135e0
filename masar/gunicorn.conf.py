"""gunicorn settings for Masar: `gunicorn -c masar/gunicorn.conf.py masar.wsgi` (bin/serve runs exactly that).

Read from the environment, like Django's settings: BIND (or PORT), GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_PRELOAD, LOG_FORMAT, LOG_LEVEL, PROMETHEUS_MULTIPROC_DIR. A malformed value stops the
start with a message naming the variable. Graceful restart (new code, no dropped request): `kill -HUP <master pid>`.
"""

import glob
import os

_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from None
    if number < 1:
        raise SystemExit(f"{name} must be at least 1, not {number}")
    return number


def _bool(name, default):
    value = os.environ.get(name, "").lower()
    if value == "":
        return default
    if value not in _BOOLEANS:
        raise SystemExit(f"{name} must be a boolean (1/0, true/false), not {value!r}")
    return _BOOLEANS[value]


def _cores():
    # The cores this process may run on (a container's CPU set), not the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Loopback by default: a reverse proxy on the same machine faces the network (TLS, buffering slow clients).
# Set BIND=0.0.0.0:8000 when the proxy is on another machine. (gunicorn alone would bind 0.0.0.0:$PORT.)
bind = [os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"]
proc_name = "masar"

# Processes from the cores (2 x cores + 1, gunicorn's advice); GUNICORN_WORKERS sets the number outright, e.g.
# lower to stay under PostgreSQL's max_connections (each worker thread holds one connection).
workers = _int("GUNICORN_WORKERS", 2 * _cores() + 1)
# Threads (gthread) keep a worker answering while one of its requests waits on the database, and let kept-alive
# and slow connections wait in the worker's poller instead of holding a thread.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)

# A request that runs longer than this is a bug or an attack: its worker is killed and replaced. Long work (packs,
# exports, imports) goes to the background worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart or stop, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle kept-alive connections close after this (behind a proxy that reuses its upstream connections).
keepalive = 5

# Against slowloris and header abuse: a bounded request line (gunicorn's default), header count and
# header size (a longer request line gets a 414); bodies are bounded by Django and the API's own limit.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

# Each worker is replaced after about this many requests (jitter: not all at once), bounding slow memory growth.
max_requests = 1000
max_requests_jitter = 100

# Loading the application once in the master saves memory, but a SIGHUP would then restart workers on the old
# code; so it is off unless asked for (GUNICORN_PRELOAD=1, then deploy new code with a full restart or USR2).
preload_app = _bool("GUNICORN_PRELOAD", False)

# The workers' heartbeat files in memory, not on a disk that may stall (containers' overlay file systems).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's control socket sits at one path per user: two servers on a machine would share it. Signals suffice.
control_socket_disable = True

# No access log: the application writes one JSON line per request itself (masar.request), with the route, the
# user id and the request id that gunicorn does not know.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (start, workers booted or killed) in the same JSON as the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "WARNING", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "formatters": {"json": {"()": "masar.core.logs.JsonFormatter"}},
    }


def on_starting(server):
    """Start the metrics afresh: files left by an earlier run would add its counts to this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        if workers > 1:
            server.log.warning("PROMETHEUS_MULTIPROC_DIR is not set: /metrics shows one worker's requests only")
        return
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    """Drop the live gauges of a worker that exited; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
