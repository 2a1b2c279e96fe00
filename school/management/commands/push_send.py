"""`manage.py push_send`: the Web Push sender. Sends the queued messages that
are due, retries failures later, and keeps going until stopped (--once: one
round, for cron or tests). Several senders may run: each message is taken by one."""

import time

from django.core.management.base import BaseCommand

from school.push.services import push_send_due


class Command(BaseCommand):
    help = "Sends queued Web Push messages (after commit, with retries)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between rounds."
        )

    def handle(self, *args, once: bool = False, interval: float = 2.0, **options):
        while True:
            sent = push_send_due()
            if sent and options["verbosity"] > 1:
                self.stdout.write(f"{sent} pushes sent")
            if once:
                return
            time.sleep(interval)
