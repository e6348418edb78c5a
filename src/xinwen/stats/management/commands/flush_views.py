"""`xinwen flush_views`: write view counts buffered in Redis to the database now.

App processes flush by themselves every few seconds and when they stop; run this from
cron or a systemd timer as a safety net, before a backup, or after a crash. It is safe
to run at any time and any number of times. Without Redis it only tidies up (expired
de-duplication fingerprints and past days' secrets).
"""

import logging

from django.core.management.base import BaseCommand

from xinwen.stats.services import views_flush

log = logging.getLogger("xinwen.stats")


class Command(BaseCommand):
    help = "Write view counts buffered in Redis to the database and forget expired de-duplication data."

    def handle(self, *args, **options):
        report = views_flush()
        message = f"flush_views: {report.views} views in {report.batches} batches written to the database ({report.store})"
        log.info(message)
        if options["verbosity"] >= 1:
            self.stdout.write(message)
