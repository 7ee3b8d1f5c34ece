"""Real server processes of the portal, for the multi-process tests and `make bench`.

Everything listens on 127.0.0.1 only, runs in processes started (and stopped) here, and
every step is bounded in time. A TemporaryDatabase is a fresh SQLite file, or a uniquely
named PostgreSQL database on the server that DATABASE_URL names; a Server is gunicorn
serving the portal with tests/live/settings.py and production's gunicorn.conf.py (only the
address, the number of workers and threads, and the log level differ).

This module imports nothing of Django's, so that tests/live/settings.py can import it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"
REDIS_URL = os.getenv("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
HOST = "127.0.0.1"
SETTINGS_MODULE = "tests.live.settings"
# The cheapest possible Django view (tests/live/urls.py): the servers answer it once ready,
# and the benchmark measures what a request costs with no work at all.
PING_PATH = "/live/ping/"
# A request with this header skips the page cache (PAGE_CACHE_BYPASS_HEADER): how the
# benchmark measures pages uncached.
BYPASS_CACHE_HEADER = "X-Bench-Bypass-Cache"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- services


def redis_available(url: str = REDIS_URL) -> bool:
    """Whether the Redis server at `url` answers within half a second."""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def delete_redis_keys(prefix: str, url: str = REDIS_URL) -> None:
    """Remove every key a server wrote with CACHE_KEY_PREFIX `prefix`."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def postgres_server_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL database, else None."""
    url = os.getenv("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class TemporaryDatabase:
    """A fresh, empty database for server processes; dropped again by drop()."""

    def __init__(self, folder: Path, postgres_url: str | None = None, prefix: str = "uppf"):
        self.postgres_url = postgres_url
        if postgres_url:
            self.name = f"{prefix}_{secrets.token_hex(6)}"
            self.url = urlsplit(postgres_url)._replace(path=f"/{self.name}").geturl()
        else:
            self.name = str(Path(folder) / f"{prefix}.sqlite3")
            self.url = f"sqlite:///{self.name}"

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.postgres_url else "SQLite"

    def create(self) -> TemporaryDatabase:
        if self.postgres_url:
            self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self) -> None:
        if self.postgres_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}_away" WITH (FORCE)')
        else:
            Path(self.name).unlink(missing_ok=True)

    def take_away(self) -> None:
        """An outage (PostgreSQL only): the database disappears under its name."""
        self._disconnect_and_rename(self.name, f"{self.name}_away")

    def bring_back(self) -> None:
        self._disconnect_and_rename(f"{self.name}_away", self.name)

    def _disconnect_and_rename(self, old: str, new: str) -> None:
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{old}' AND pid <> pg_backend_pid()"
        )
        self._admin(f'ALTER DATABASE "{old}" RENAME TO "{new}"')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.postgres_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)


# --------------------------------------------------------------------------- processes


def portal_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like portal process (DEBUG off, page cache on)."""
    return {
        "PATH": os.getenv("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "SECRET_KEY": "live-" + secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": database_url,
        "PAGE_CACHE_SECONDS": "600",
        **extra,
    }


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run `manage.py *args` with `env`; its output, or RuntimeError with the output."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class Server:
    """gunicorn serving the portal on a free port of 127.0.0.1; a context manager."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, threads: int = 1, log=None):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.log = log  # a file for gunicorn's output; discarded when None
        self.port = 0
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self, timeout: float = 30) -> Server:
        self.port = free_port()
        command = [
            PYTHON, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG),
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", "gthread" if self.threads > 1 else "sync",
            "--graceful-timeout", "5",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_ready(timeout)
        return self

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            with contextlib.suppress(OSError):
                if fetch(self.port, PING_PATH, timeout=2).status == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s")

    def stop(self, timeout: float = 10) -> None:
        """Stop gunicorn and its workers (its own process group), forcibly if need be."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def worker_pids(self) -> list[int]:
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]

    def wait_until_idle(self, timeout: float = 30) -> None:
        """Wait until the workers stop using CPU: requests a load run left queued are done."""
        deadline = time.monotonic() + timeout
        used = self._cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self._cpu_ticks()
            if now - used <= 1:
                return
            used = now

    def _cpu_ticks(self) -> int:
        """User plus system CPU time of the workers so far, in clock ticks."""
        ticks = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks

    def peak_memory_kib(self) -> list[int]:
        """VmHWM (peak resident memory) of each worker process, in KiB."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)))
        return peaks

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"


# --------------------------------------------------------------------------- HTTP


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10,
) -> Reply:
    """One HTTP request to 127.0.0.1:`port`."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


class Browser:
    """A minimal browser for one server: keeps its cookies and fills in CSRF tokens."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Reply:
        return self._request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Reply:
        """Submit a form, with the CSRF token of the form page at `path`."""
        form = dict(fields, csrfmiddlewaretoken=csrf_token(self.get(path).text))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._request("POST", path, headers, urlencode(form).encode())

    def login(self, username: str, password: str) -> None:
        reply = self.post("/admin/login/", {"username": username, "password": password})
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"admin login failed: {reply.status}")

    def _request(self, method, path, headers=None, body=None) -> Reply:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = fetch(self.port, path, method=method, headers=headers, body=body)
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return reply


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token in the form page")
    return match.group(1)
