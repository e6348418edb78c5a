"""`xinwen pagecache_clear`: drop every stored page (after a deploy that changes templates, for instance)."""

from django.core.management.base import BaseCommand

from xinwen.pagecache import conf


class Command(BaseCommand):
    help = "Drop every page stored by the page cache (on disk or in Redis). Pages are rendered again on their next request."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count the stored pages")

    def handle(self, *args, dry_run, **options):
        store = conf.store()
        count = len(store.keys())
        if dry_run:
            self.stdout.write(f"{count} stored pages in {_where(store)}; nothing dropped (--dry-run)")
            return
        store.purge_all()
        self.stdout.write(f"dropped {count} stored pages from {_where(store)}")


def _where(store) -> str:
    return str(getattr(store, "root", "")) or f"Redis ({store.prefix})"
