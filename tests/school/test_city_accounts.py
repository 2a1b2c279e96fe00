"""Claims from the city identity provider become a local account, or nothing at all."""

import pytest

from school import services
from school.models import Guardianship, RoleGrant, User
from tests import factories

pytestmark = pytest.mark.django_db
ISSUER = "https://id.example.city"
CLAIM_NAMES = {
    "roles_claim": "roles",
    "schools_claim": "school_ids",
    "children_claim": "children",
    "patronymic_claim": "middle_name",
}


def parse(**claims):
    base = {"sub": "city-1", "roles": ["teacher"], "given_name": "Анна"}
    return services.city_claims_parse({**base, **claims}, **CLAIM_NAMES)


def city_pupil(sub: str) -> User:
    return factories.UserFactory(oidc_issuer=ISSUER, oidc_sub=sub, roles=["pupil"])


def test_first_sign_in_creates_the_person_with_roles_schools_and_children():
    school = factories.SchoolFactory(external_id="sch-1")
    child = city_pupil("kid-1")
    claims = parse(
        roles=["teacher", "parent"],
        school_ids=["sch-1"],
        children=["kid-1"],
        family_name="Смирнова",
        middle_name="Игоревна",
    )
    user = services.city_account_sync(issuer=ISSUER, claims=claims)
    assert user.full_name == "Смирнова Анна Игоревна"
    assert user.role_set == {"teacher", "parent"}
    assert list(user.schools.all()) == [school]
    assert list(
        Guardianship.objects.filter(parent=user).values_list("pupil", flat=True)
    ) == [child.pk]
    assert not user.has_usable_password()


def test_next_sign_in_replaces_roles_and_removes_dropped_links():
    first, second = city_pupil("kid-1"), city_pupil("kid-2")
    services.city_account_sync(
        issuer=ISSUER, claims=parse(roles=["parent"], children=["kid-1", "kid-2"])
    )
    user = services.city_account_sync(
        issuer=ISSUER,
        claims=parse(roles=["parent", "methodologist"], children=["kid-2"]),
    )
    assert User.objects.filter(oidc_sub="city-1").count() == 1
    assert user.role_set == {"parent", "methodologist"}
    linked = set(
        Guardianship.objects.filter(parent=user).values_list("pupil", flat=True)
    )
    assert linked == {second.pk}
    assert first.guardians.count() == 0


def test_losing_the_parent_role_removes_every_link():
    city_pupil("kid-1")
    services.city_account_sync(
        issuer=ISSUER, claims=parse(roles=["parent"], children=["kid-1"])
    )
    user = services.city_account_sync(issuer=ISSUER, claims=parse(roles=["teacher"]))
    assert not Guardianship.objects.filter(parent=user).exists()


def test_an_unknown_school_writes_nothing():
    factories.SchoolFactory(external_id="sch-1")
    claims = parse(school_ids=["sch-1", "sch-404"])
    with pytest.raises(services.CityClaimsError, match="sch-404"):
        services.city_account_sync(issuer=ISSUER, claims=claims)
    assert not User.objects.filter(oidc_sub="city-1").exists()
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"roles": ["wizard"]}, "Unknown role"),
        ({"roles": []}, "no role"),
        ({"roles": "teacher, admin"}, "Unknown role"),
        ({"roles": [1, 2]}, "list of non-empty strings"),
        ({"sub": ""}, "sub"),
        ({"sub": None}, "sub"),
        ({"children": {"a": 1}}, "children"),
    ],
)
def test_malformed_claims_are_refused(claims, message):
    with pytest.raises(services.CityClaimsError, match=message):
        parse(**claims)


def test_accounts_are_keyed_on_issuer_and_sub_not_on_email():
    services.city_account_sync(issuer=ISSUER, claims=parse(email="same@example.city"))
    other = services.city_account_sync(
        issuer=ISSUER, claims=parse(sub="city-2", email="same@example.city")
    )
    assert other.oidc_sub == "city-2"
    assert User.objects.filter(email="same@example.city").count() == 2


def test_a_username_already_taken_gets_a_unique_one():
    factories.UserFactory(username="anna")
    user = services.city_account_sync(
        issuer=ISSUER, claims=parse(preferred_username="anna")
    )
    assert user.username != "anna"
    assert user.username.startswith("anna")


def test_a_deactivated_city_account_loses_its_session(client):
    user = services.city_account_sync(issuer=ISSUER, claims=parse(roles=["teacher"]))
    client.force_login(user, backend="school.oidc.CityAccountBackend")
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
