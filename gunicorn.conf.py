"""gunicorn's configuration for Uppföljning in production:

    gunicorn -c gunicorn.conf.py

Behind a TLS-terminating reverse proxy (or a load balancer) on each app server. Every
value can be changed from the environment (below), and any of gunicorn's own command-line
options given after `-c gunicorn.conf.py` wins over this file.

| variable | meaning | default |
|---|---|---|
| `GUNICORN_BIND` | address:port to listen on (comma-separated for several) | 127.0.0.1:8000 |
| `WEB_CONCURRENCY` | worker processes | 2 × the CPUs this process may use + 1 |
| `GUNICORN_THREADS` | threads per worker (more than 1: gthread workers) | 1 (sync workers) |
| `GUNICORN_TIMEOUT` | seconds a request may take before its worker is restarted | 30 |
| `GUNICORN_GRACEFUL_TIMEOUT` | seconds workers get to finish their requests on a stop | 20 |
| `GUNICORN_MAX_REQUESTS` | requests after which a worker is replaced (0: never) | 10000 ± 10 % |
| `FORWARDED_ALLOW_IPS` | the proxies whose X-Forwarded-Proto gunicorn trusts | 127.0.0.1,::1 |
| `GUNICORN_ACCESS_LOG` | where the access log goes: `-` for stdout, a file, or empty for none | - |
| `GUNICORN_LOG_LEVEL` | the error log's level (the error log goes to stderr) | info |

Sync workers: a request either comes from the page cache (a fraction of a millisecond of
CPU) or renders a page (CPU-bound with short database queries), so 2 × CPUs + 1 processes
keep the CPUs busy while some wait for PostgreSQL or Redis. Each worker holds its own
database connection (or its own pool: DB_POOL_MAX_SIZE), which PostgreSQL's
max_connections must cover for all app servers together.

The application is loaded once, before the workers are forked (preload_app): a worker
replaced after GUNICORN_MAX_REQUESTS starts at once, and the workers share the memory of
the loaded code. Nothing connects to the database, Redis or anything else while loading
(Django connects on the first request of each worker). A new release therefore needs a
restart of gunicorn (not a HUP), which a deploy does anyway.
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.getenv(name, "").strip()
    return int(value) if value else default


def _cpus() -> int:
    """The CPUs this process may run on (a container's or taskset's share)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "uppfoljning.wsgi:application"
bind = [b.strip() for b in os.getenv("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

workers = _env_int("WEB_CONCURRENCY", 2 * _cpus() + 1)
threads = _env_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
preload_app = True

# A request that takes longer than this has its worker killed and restarted (the slowest
# page renders in well under a second); on a stop or restart, workers get
# graceful_timeout to finish what they are serving.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = 5  # gthread workers: seconds an idle connection from the proxy stays open

# Replace each worker after about this many requests (guards against slow leaks); the
# jitter keeps the workers from being replaced all at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10

# Which proxies may tell gunicorn that the request came over HTTPS (X-Forwarded-Proto).
# Django reads the header itself with TRUST_X_FORWARDED_PROTO=1 (see the README).
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat files of the workers on a memory file system when there is one (a slow or
# full disk must not make gunicorn kill healthy workers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log to stdout, one line a request: time, the connection's address and what the
# proxy forwarded for, the request line, status, bytes, milliseconds, and whether the
# page came from the page cache (hit, miss, or - for anything that is no public page).
accesslog = os.getenv("GUNICORN_ACCESS_LOG", "-").strip() or None
access_log_format = (
    '%(t)s %(h)s "%({x-forwarded-for}i)s" "%(r)s" %(s)s %(B)s %(M)sms cache=%({x-page-cache}o)s'
)
errorlog = "-"
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")
