"""`manage.py seed_demo`: loads the demo city and prints a login for each role."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from school.demo_city import (
    DEMO_PASSWORD,
    DemoCityError,
    demo_city_seed,
    idp_accounts,
    idp_accounts_file_write,
)
from school.demo_journal import demo_journal_seed
from school.demo_plan import demo_city_plan, demo_logins
from school.demo_timetable import demo_timetable_seed

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Loads the demo city (two schools, classes, teachers, pupils, parents) and "
        "writes the city identity provider's accounts file. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Do not print the demo logins."
        )
        parser.add_argument(
            "--logins-only",
            action="store_true",
            help="Only print the demo logins (the city is not loaded).",
        )
        parser.add_argument(
            "--site-url",
            default=DEFAULT_SITE_URL,
            help="The platform's address, printed above the logins.",
        )

    def handle(
        self,
        *args,
        quiet: bool = False,
        logins_only: bool = False,
        site_url: str = DEFAULT_SITE_URL,
        **options,
    ):
        if not settings.DEMO_SEED_ALLOWED:
            # The demo has an administrator with a published password.
            raise CommandError(
                "The demo city is loaded only with development settings (DEBUG on, "
                "DJANGO_SETTINGS_MODULE=config.settings.dev); this database is not "
                "a demo."
            )
        if logins_only:
            logins = demo_logins(demo_city_plan())
            self.stdout.write(self.logins_table(logins, site_url))
            return
        try:
            result = demo_city_seed()
        except DemoCityError as error:
            raise CommandError(str(error)) from error
        today = timezone.localdate()
        result.written += demo_timetable_seed(today=today)
        result.written += demo_journal_seed(today=today)
        # The school app never imports lessons or gamification (dependencies point
        # one way); this command is a composition root that loads the whole demo,
        # so it names their seeds by dotted path instead.
        library_seed = import_string("lessons.demo_library.demo_library_seed")
        result.written += library_seed(today=today)
        gamification_seed = import_string("gamification.demo.demo_gamification_seed")
        showcase_pupil = result.plan.people[result.plan.showcase["pupil"]].username
        result.written += gamification_seed(today=today, showcase_pupil=showcase_pupil)
        # Written after the commit, so the provider never knows an account the
        # database lacks.
        path = Path(settings.IDP_ACCOUNTS_FILE)
        idp_accounts_file_write(path=path, accounts=idp_accounts(result.plan))
        if quiet:
            return
        self.stdout.write(
            f"Demo city ready: {len(result.plan.people)} city accounts, "
            f"{result.written} rows written; identity provider accounts in {path}."
        )
        self.stdout.write(self.logins_table(demo_logins(result.plan), site_url))

    def logins_table(self, logins: list[tuple[str, str]], site_url: str) -> str:
        width = max(len(label) for label, _ in logins)
        login_width = max(len(login) for _, login in logins)
        lines = [f"Open {site_url} and sign in with (password {DEMO_PASSWORD}):"]
        lines += [
            f"  {label:<{width}}  {login:<{login_width}}  {DEMO_PASSWORD}"
            for label, login in logins
        ]
        return "\n".join(lines)
