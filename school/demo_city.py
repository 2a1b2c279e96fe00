"""The demo city in the database, and the city identity provider's accounts file.

`demo_city_seed()` makes the database match `demo_city_plan()` and writes only rows
that differ, so a second run changes nothing. `idp_accounts_file_write()` hands the
same accounts to the identity provider that `make run` starts next to the platform.
"""

import datetime
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import CharField, Model, Prefetch, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from school.demo_plan import (
    ADMIN_USERNAME,
    SCHOOLS,
    SUBJECTS,
    TERMS,
    CityPlan,
    ClassPlan,
    Person,
    demo_city_plan,
    school_year,
    term_day,
)
from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    RoleGrant,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from school.services import guardianships_set, user_roles_set

DEMO_PASSWORD = "demo-city-2026"  # nosec B105  # noqa: S105 - public demo
EMAIL_DOMAIN = "demo.city.example"


def _ensure(model: type[Model], lookup: dict, values: dict) -> tuple[Model, bool]:
    """get_or_create that saves only the fields that differ; returns (row, written)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row, bool(changed)


class DemoCityError(Exception):
    """The database holds something that stops the demo city from loading."""


class _CitySync:
    """Brings the database in line with a plan; `written` counts rows touched."""

    def __init__(self, plan: CityPlan, today: datetime.date) -> None:
        self.plan = plan
        self.year_name, self.starts_on, self.ends_on = school_year(today)
        self.written = 0
        self.schools: dict[str, School] = {}
        self.years: dict[str, AcademicYear] = {}
        self.subjects: dict[str, Subject] = {}
        self.users: dict[str, User] = {}
        self.classes: list[tuple[ClassPlan, ClassGroup]] = []

    def ensure(self, model: type[Model], lookup: dict, values: dict) -> Model:
        row, written = _ensure(model, lookup, values)
        self.written += written
        return row

    def run(self) -> None:
        self.sync_schools()
        self.sync_subjects()
        self.sync_users()
        self.sync_roles()
        self.sync_memberships()
        self.sync_guardianships()
        self.sync_classes()
        self.sync_assignments()
        self.sync_enrolments()

    def sync_schools(self) -> None:
        for spec in SCHOOLS:
            school = self.ensure(
                School,
                {"external_id": spec.external_id},
                {
                    "name": spec.name,
                    "short_name": spec.short_name,
                    "address": spec.address,
                },
            )
            self.schools[spec.external_id] = school
            self.years[spec.external_id] = self.sync_year(school)

    def sync_year(self, school: School) -> AcademicYear:
        year = self.ensure(
            AcademicYear,
            {"school_id": school.pk, "name": self.year_name},
            {"starts_on": self.starts_on, "ends_on": self.ends_on},
        )
        for name, first, last in TERMS:
            self.ensure(
                Term,
                {"academic_year_id": year.pk, "name": name},
                {
                    "starts_on": term_day(self.starts_on.year, first),
                    "ends_on": term_day(self.starts_on.year, last),
                },
            )
        return year

    def sync_subjects(self) -> None:
        for code, name in SUBJECTS.items():
            self.subjects[code] = self.ensure(Subject, {"code": code}, {"name": name})

    def sync_users(self) -> None:
        """Accounts by city id (sub); the issuer follows the current setting."""
        people = list(self.plan.people.values())
        found = {
            user.oidc_sub: user
            for user in User.objects.filter(oidc_sub__in=[p.sub for p in people])
        }
        admin = User.objects.filter(username=ADMIN_USERNAME).first()
        password, hashes = _demo_password_hash([*found.values(), admin])
        self.drop_obsolete_accounts(keep=found)
        _refuse_foreign_usernames(people)
        self.write_accounts(people, found, password, hashes)
        self.sync_admin(admin, password, hashes)
        subs = {person.sub: person.key for person in people}
        self.users = {
            subs[user.oidc_sub]: user for user in User.objects.filter(oidc_sub__in=subs)
        }

    def drop_obsolete_accounts(self, *, keep: dict[str, User]) -> None:
        """Deletes accounts an older version of the demo made for people now gone."""
        made_by_demo = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
        self.written += made_by_demo.exclude(oidc_sub__in=keep).delete()[0]

    def write_accounts(
        self, people: list[Person], found: dict, password: str, hashes: set
    ) -> None:
        logins = {user.pk: user.username for user in found.values()}
        new, changed = [], []
        for person in people:
            user = found.get(person.sub) or User(oidc_sub=person.sub)
            if _apply_account(user, person, password, hashes):
                (changed if user.pk else new).append(user)
        # After a change to the plan two accounts may swap logins: free them first.
        renamed = [user.pk for user in changed if logins[user.pk] != user.username]
        User.objects.filter(pk__in=renamed).update(
            username=Concat(Value("~"), Cast("pk", CharField()))
        )
        User.objects.bulk_create(new)
        User.objects.bulk_update(changed, [*ACCOUNT_FIELDS, "password"])
        self.written += len(new) + len(changed)

    def sync_admin(self, admin: User | None, password: str, hashes: set) -> None:
        admin = admin or User(username=ADMIN_USERNAME)
        values = {"is_superuser": True, "is_staff": True, "is_active": True}
        changed = [
            name for name, value in values.items() if getattr(admin, name) != value
        ]
        for name in changed:
            setattr(admin, name, values[name])
        if admin.password not in hashes:
            admin.password = password
            changed.append("password")
        if admin.pk is None or changed:
            admin.save()
            self.written += 1

    def sync_roles(self) -> None:
        held = defaultdict(set)
        grants = RoleGrant.objects.filter(user__in=self.users.values())
        for user_id, role in grants.values_list("user_id", "role"):
            held[user_id].add(role)
        for key, user in self.users.items():
            roles = set(self.plan.people[key].roles)
            if held[user.pk] != roles:
                user_roles_set(user=user, roles=roles)
                self.written += 1

    def sync_memberships(self) -> None:
        """User.schools, through its join table in bulk: 500 accounts, 2 queries."""
        membership = User.schools.through
        wanted = {
            (self.users[key].pk, self.schools[school].pk)
            for key, person in self.plan.people.items()
            for school in person.schools
        }
        rows = membership.objects.filter(user__in=self.users.values())
        held = set(rows.values_list("user_id", "school_id"))
        membership.objects.bulk_create(
            [membership(user_id=u, school_id=s) for u, s in sorted(wanted - held)]
        )
        for user_id, school_id in sorted(held - wanted):
            rows.filter(user_id=user_id, school_id=school_id).delete()
        self.written += len(wanted ^ held)

    def sync_guardianships(self) -> None:
        held = defaultdict(set)
        links = Guardianship.objects.filter(parent__in=self.users.values())
        for parent_id, pupil_id in links.values_list("parent_id", "pupil_id"):
            held[parent_id].add(pupil_id)
        for key, user in self.users.items():
            children = [self.users[child] for child in self.plan.people[key].children]
            if held[user.pk] != {child.pk for child in children}:
                guardianships_set(parent=user, pupils=children)
                self.written += 1

    def sync_classes(self) -> None:
        for class_plan in self.plan.classes:
            year = self.years[class_plan.school]
            class_group = self.ensure(
                ClassGroup,
                {
                    "academic_year_id": year.pk,
                    "grade": class_plan.grade,
                    "letter": class_plan.letter,
                },
                {
                    "school_id": year.school_id,
                    "homeroom_teacher_id": self.users[class_plan.homeroom].pk,
                },
            )
            self.classes.append((class_plan, class_group))

    def sync_assignments(self) -> None:
        """Adds missing lessons; ones added by a school administrator are kept."""
        wanted = {
            (self.users[teacher].pk, class_group.pk, self.subjects[code].pk)
            for class_plan, class_group in self.classes
            for code, teacher in class_plan.lessons
        }
        held = set(
            TeachingAssignment.objects.filter(
                class_group__in=[group for _, group in self.classes]
            ).values_list("teacher_id", "class_group_id", "subject_id")
        )
        TeachingAssignment.objects.bulk_create(
            TeachingAssignment(teacher_id=t, class_group_id=c, subject_id=s)
            for t, c, s in sorted(wanted - held)
        )
        self.written += len(wanted - held)

    def sync_enrolments(self) -> None:
        """Enrols each pupil from the first day of the year unless already enrolled.

        An enrolment a school administrator ended or moved is left as it is.
        """
        wanted = {
            (self.users[pupil].pk, class_group.pk)
            for class_plan, class_group in self.classes
            for pupil in class_plan.pupils
        }
        held = set(
            Enrolment.objects.filter(
                class_group__in=[group for _, group in self.classes]
            ).values_list("pupil_id", "class_group_id")
        )
        Enrolment.objects.bulk_create(
            Enrolment(pupil_id=p, class_group_id=c, starts_on=self.starts_on)
            for p, c in sorted(wanted - held)
        )
        self.written += len(wanted - held)


ACCOUNT_FIELDS = (
    "oidc_issuer",
    "username",
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "is_active",
)


def _apply_account(user: User, person: Person, password: str, hashes: set) -> bool:
    """Sets the account's fields from the plan; returns whether anything changed."""
    values = {
        "oidc_issuer": settings.OIDC_OP_ISSUER,
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "patronymic": person.patronymic,
        "email": f"{person.username}@{EMAIL_DOMAIN}",
        "is_active": True,
    }
    changed = user.pk is None
    for name, value in values.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if user.password not in hashes:
        user.password = password
        changed = True
    return changed


def _demo_password_hash(users: list[User | None]) -> tuple[str, set[str]]:
    """The hash to give new accounts, and the existing hashes of the demo password.

    Hashing is slow on purpose (PBKDF2), so the password is hashed once for everyone;
    the same check keeps existing hashes, whose salt would change on every run.
    """
    counts: dict[str, int] = defaultdict(int)
    for user in users:
        if user is not None and user.password:
            counts[user.password] += 1
    common = sorted(counts, key=lambda encoded: (-counts[encoded], encoded))[:3]
    hashes = {encoded for encoded in common if check_password(DEMO_PASSWORD, encoded)}
    if not hashes:
        return make_password(DEMO_PASSWORD), set()
    return min(hashes, key=lambda encoded: -counts[encoded]), hashes


def _refuse_foreign_usernames(people: list[Person]) -> None:
    owners = User.objects.filter(username__in=[p.username for p in people])
    demo_subs = {person.sub for person in people}
    for username, sub in owners.values_list("username", "oidc_sub"):
        if sub not in demo_subs:
            raise DemoCityError(
                f"The login {username!r} belongs to an account outside the demo "
                "city; rename that account or use an empty database."
            )


@dataclass
class SeedResult:
    plan: CityPlan
    written: int  # rows created, changed or deleted; 0 when the city was complete


@transaction.atomic
def demo_city_seed(*, today: datetime.date | None = None) -> SeedResult:
    """Loads the demo city into the database, or completes it; idempotent.

    Runs in one transaction. Accounts (names, password, roles, schools, family
    links) are reset to the plan, as a sign-in through the city provider would;
    lessons and enrolments that the plan lacks, added in the app, are kept.
    `today` (default: today in the platform's time zone) picks the school year.
    """
    sync = _CitySync(demo_city_plan(), today or timezone.localdate())
    sync.run()
    return SeedResult(plan=sync.plan, written=sync.written)


# --- The city identity provider's accounts file.


def idp_accounts(plan: CityPlan) -> list[dict]:
    """Every demo account as the identity provider serves it, read from the database.

    Returns one entry per account: sub, login, password and the claims (names,
    roles, school ids, children's subs) under the claim names the platform reads.
    """
    subs = [person.sub for person in plan.people.values()]
    users = User.objects.filter(
        oidc_issuer=settings.OIDC_OP_ISSUER, oidc_sub__in=subs
    ).prefetch_related(
        "role_grants",
        "schools",
        Prefetch(
            "guardianships", queryset=Guardianship.objects.select_related("pupil")
        ),
    )
    by_sub = {user.oidc_sub: user for user in users}
    return [_idp_account(by_sub[sub]) for sub in subs if sub in by_sub]


def _idp_account(user: User) -> dict:
    return {
        "sub": user.oidc_sub,
        "login": user.username,
        "password": DEMO_PASSWORD,
        "claims": {
            "given_name": user.first_name,
            "family_name": user.last_name,
            settings.OIDC_CLAIM_PATRONYMIC: user.patronymic,
            "email": user.email,
            "preferred_username": user.username,
            settings.OIDC_CLAIM_ROLES: sorted(g.role for g in user.role_grants.all()),
            settings.OIDC_CLAIM_SCHOOLS: sorted(
                s.external_id for s in user.schools.all()
            ),
            settings.OIDC_CLAIM_CHILDREN: sorted(
                g.pupil.oidc_sub for g in user.guardianships.all()
            ),
        },
    }


def idp_accounts_file_write(*, path: Path, accounts: list[dict]) -> bool:
    """Writes the accounts file atomically; returns False when it already matched.

    The provider reads the file on every sign-in, so it must never see half of it:
    the text goes to a temporary file in the same folder, then replaces the old one.
    """
    text = json.dumps(accounts, ensure_ascii=False, indent=2) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
