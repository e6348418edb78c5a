"""`xinwen serve`: the production server (gunicorn), one worker per core by default."""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run xinwen with gunicorn (production). Put a reverse proxy with TLS in front of it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)))
        parser.add_argument("--timeout", type=int, default=30)

    def handle(self, *args, bind, workers, timeout, **options):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("gunicorn is not installed in this environment: pip install gunicorn")
        argv = [
            gunicorn,
            "xinwen.wsgi:application",
            "--bind", bind,
            "--workers", str(max(workers, 1)),
            "--timeout", str(timeout),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # The control socket's default path is shared by every gunicorn on the host.
            "--no-control-socket",
            # Server hooks: view counts buffered in Redis are flushed periodically and on exit.
            "--config", "python:xinwen.stats.gunicorn_hooks",
        ]  # fmt: skip
        self.stdout.write(f"xinwen: gunicorn on {bind} with {workers} workers")
        sys.stdout.flush()
        os.execv(gunicorn, argv)
