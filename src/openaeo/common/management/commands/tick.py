from django.core.management.base import BaseCommand

from openaeo.common.periodic import tick


class Command(BaseCommand):
    help = "Enqueue the periodic work that is due. Safe to run every minute from cron."

    def handle(self, *args, **options):
        enqueued = tick()
        if enqueued:
            self.stdout.write("Enqueued: " + ", ".join(enqueued))
        else:
            self.stdout.write("Nothing due.")
