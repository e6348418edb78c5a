"""`xinwen subscribers`: who follows which content changes (the notice path's registrations)."""

from django.core.management.base import BaseCommand

from xinwen.news import changes


class Command(BaseCommand):
    help = "List the subscribers of the change notices: which app keeps what up to date after each kind of change."

    def handle(self, *args, **options):
        for kind in changes.KINDS:
            found = changes.subscribers(kind)
            self.stdout.write(f"{kind}:")
            for subscriber in found:
                self.stdout.write(f"  {subscriber.name}  ({subscriber.target})")
            if not found:
                self.stdout.write("  (none)")
