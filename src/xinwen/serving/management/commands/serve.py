"""`xinwen serve`: the production server (granian), one worker process per core by default.

granian's HTTP layer is written in Rust and keeps connections alive, so what Python does
per request is only xinwen's own work: a page served from the page cache costs a file
read, not a second HTTP stack. Each worker runs a few threads for Django; more would only
queue on the interpreter lock and hold more database connections. granian runs in this
process, after `serving/prefork.py` has loaded what the workers then share.
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xinwen.serving import prefork


def _host_port(bind: str) -> tuple[str, str]:
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise CommandError(f"--bind 应为 主机:端口，例如 127.0.0.1:8000（收到：{bind!r}）。")
    return host.strip("[]"), port


class Command(BaseCommand):
    help = "Run xinwen with granian (production). Put a reverse proxy with TLS in front of it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="host:port to listen on")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)),
            help="worker processes (default: one per core)",
        )  # fmt: skip
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")),
            help="threads per worker for Django (default 4)",
        )  # fmt: skip
        parser.add_argument(
            "--timeout", type=int, default=30, help="seconds a worker may take to finish its requests when stopping"
        )
        parser.add_argument("--access-log", action="store_true", help="log every request (the reverse proxy usually does)")

    def handle(self, *args, bind, workers, threads, timeout, access_log, **options):
        try:
            from granian.constants import Interfaces
            from granian.server import Server
        except ImportError:
            raise CommandError("granian is not installed in this environment: pip install granian") from None
        host, port = _host_port(bind)
        optional = tuple(name for name in settings.SERVE_PRELOAD if name)
        unknown = sorted(set(optional) - set(prefork.OPTIONAL))
        if unknown:
            raise CommandError(f"SERVE_PRELOAD 只能包含 {', '.join(prefork.OPTIONAL)}（收到：{', '.join(unknown)}）。")
        # Loaded here, before granian forks the workers: they share these pages (see serving/prefork.py).
        prefork.preload(optional)
        self.stdout.write(f"xinwen: granian on {bind} with {workers} workers × {threads} threads")
        sys.stdout.flush()
        Server(
            "xinwen.wsgi:application",
            address=host,
            port=int(port),
            interface=Interfaces.WSGI,
            workers=max(workers, 1),
            blocking_threads=max(threads, 1),
            backpressure=max(threads, 1) * 16,
            websockets=False,
            # A worker that dies (out of memory, killed) is replaced; counted views are in Redis
            # or the database already, so nothing is lost with it.
            respawn_failed_workers=True,
            workers_kill_timeout=max(timeout, 1),
            log_access=access_log,
        ).serve()
