"""Signing in with the city account, end to end, against a real OpenID provider.

Each test drives a `requests.Session` as a browser would: the platform sends it to
the provider's login form, the provider sends it back to /oidc/callback/, and the
test reads the page the person ends up on. Refusals are checked the same way: a
clear page, no session afterwards, and no account half-created.
"""

import base64
import hashlib
import hmac
import html
import json
import re
import time
import uuid
from importlib import import_module
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from school.models import CitySession, Role, TeachingAssignment, User
from school.oidc import BACKCHANNEL_EVENT, FAILURE_MESSAGES
from tests import factories
from tests.integration.conftest import (
    CITY_PASSWORD,
    city_account,
    flip_signature_byte,
    form_action,
    hidden_field,
    token_claims,
    unsigned,
)

pytestmark = pytest.mark.integration


def session_store(session_key: str):
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key)


# --- How a person moves through the sign-in


def follow_until(browser: requests.Session, answer: requests.Response, prefix: str):
    """Follows redirects by hand and returns the first one to `prefix`, unvisited."""
    for _ in range(10):
        location = urljoin(answer.url, answer.headers["Location"])
        if location.startswith(prefix):
            return location
        answer = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"never redirected to {prefix}")


def open_provider_login(browser, base: str, **params) -> requests.Response:
    page = browser.get(f"{base}/oidc/authenticate/", params=params, timeout=10)
    assert "/interaction/" in page.url, page.text
    assert 'name="password"' in page.text
    return page


def authorize(browser, base: str, login: str, password: str = CITY_PASSWORD, **params):
    """Signs in at the provider; returns the callback URL it sends the browser to."""
    page = open_provider_login(browser, base, **params)
    answer = browser.post(
        form_action(page),
        data={"login": login, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303, answer.text
    return follow_until(browser, answer, f"{base}/oidc/callback/")


def sign_in(browser, base: str, login: str, **params) -> requests.Response:
    return browser.get(authorize(browser, base, login, **params), timeout=10)


def is_signed_in(browser, base: str) -> bool:
    answer = browser.get(f"{base}/", allow_redirects=False, timeout=10)
    if answer.status_code == 302:
        assert urlsplit(answer.headers["Location"]).path == "/login/"
        return False
    assert answer.status_code == 200
    return True


def visible_text(page: requests.Response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", page.text)
    return " ".join(html.unescape(text).split())


def failure_message(code: str) -> str:
    # The test client sends no Accept-Language: pages are in the default language.
    with translation.override("ru"):
        return " ".join(str(FAILURE_MESSAGES[code]).split())


def assert_refused(page, code: str, browser, base: str, sub: str) -> None:
    assert page.status_code == 400
    assert failure_message(code) in visible_text(page)
    assert not is_signed_in(browser, base)
    assert not User.objects.filter(oidc_sub=sub).exists()


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    query = {key: value for key, value in query.items() if value is not None}
    return urlunsplit(parts._replace(query=urlencode(query)))


def csrf_post(browser, page: requests.Response, url: str, **data):
    data["csrfmiddlewaretoken"] = hidden_field(page, "csrfmiddlewaretoken")
    return browser.post(url, data=data, allow_redirects=False, timeout=10)


@pytest.fixture
def browser():
    with requests.Session() as session:
        yield session


@pytest.fixture
def base(live_server) -> str:
    return live_server.url


# --- Who signs in


@pytest.fixture
def schools(db):
    """Class 5А in one school and 9В in another; mathematics is taught in both."""
    return {
        "maths": factories.SubjectFactory(code="mathematics", name="Математика"),
        "class_a": factories.ClassGroupFactory(grade=5, letter="А"),
        "class_b": factories.ClassGroupFactory(grade=9, letter="В"),
    }


def city_pupil(sso, class_group, sub: str, first_name: str) -> User:
    """A pupil already on the roster, linked to their city account."""
    return factories.make_pupil(
        class_group,
        username=sub,
        first_name=first_name,
        last_name="Смирнов",
        oidc_issuer=sso.issuer,
        oidc_sub=sub,
    )


def parent_account(**changes) -> dict:
    claims = {"given_name": "Ольга", "roles": ["parent"]} | changes
    return city_account("parent-olga", **claims)


@pytest.fixture
def family(sso, schools):
    """Петя (5А) and Маша (9В, another school), and their parent's city account."""
    petya = city_pupil(sso, schools["class_a"], "pupil-petya", "Петя")
    masha = city_pupil(sso, schools["class_b"], "pupil-masha", "Маша")
    sso.set_accounts(parent_account(children=["pupil-petya", "pupil-masha"]))
    return petya, masha


def child_line(pupil: User, class_group) -> str:
    return f"{pupil.full_name} — {class_group.name}, {class_group.school.name}"


# --- Full sign-in flows


def test_pupil_signs_in_and_sees_their_class(sso, schools, browser, base):
    class_a = schools["class_a"]
    pupil = city_pupil(sso, class_a, "pupil-petya", "Петя")
    school_ids = [class_a.school.external_id]
    sso.set_accounts(
        city_account(
            "pupil-petya", given_name="Пётр", roles=["pupil"], school_ids=school_ids
        )
    )

    home = sign_in(browser, base, "pupil-petya")

    assert home.status_code == 200
    assert urlsplit(home.url).path == "/"
    assert f"5А , {class_a.school.name}" in visible_text(home)
    pupil.refresh_from_db()
    assert pupil.first_name == "Пётр"
    assert pupil.role_set == {Role.PUPIL}
    assert set(pupil.schools.all()) == {class_a.school}
    assert CitySession.objects.get(user=pupil).sid


def test_teacher_signs_in_and_sees_their_classes(sso, schools, browser, base):
    class_a, class_b = schools["class_a"], schools["class_b"]
    teacher = factories.make_teacher(
        class_a, schools["maths"], oidc_issuer=sso.issuer, oidc_sub="teacher-anna"
    )
    TeachingAssignment.objects.create(
        teacher=teacher, class_group=class_b, subject=schools["maths"]
    )
    school_ids = [class_a.school.external_id, class_b.school.external_id]
    sso.set_accounts(
        city_account(
            "teacher-anna", given_name="Анна", roles=["teacher"], school_ids=school_ids
        )
    )

    home = sign_in(browser, base, "teacher-anna")

    text = visible_text(home)
    assert home.status_code == 200
    assert "Анна" in text
    assert f"5А Математика {class_a.school}" in text
    assert f"9В Математика {class_b.school}" in text
    teacher.refresh_from_db()
    assert teacher.role_set == {Role.TEACHER}
    assert set(teacher.schools.all()) == {class_a.school, class_b.school}


def test_parent_sees_both_children_in_their_schools(
    sso, schools, family, browser, base
):
    petya, masha = family

    home = sign_in(browser, base, "parent-olga")

    text = visible_text(home)
    assert home.status_code == 200
    assert child_line(petya, schools["class_a"]) in text
    assert child_line(masha, schools["class_b"]) in text
    parent = User.objects.get(oidc_issuer=sso.issuer, oidc_sub="parent-olga")
    assert parent.role_set == {Role.PARENT}
    assert {link.pupil for link in parent.guardianships.all()} == {petya, masha}


def test_signing_in_again_updates_roles_and_family_links(sso, schools, family, base):
    petya, masha = family
    with requests.Session() as first_visit:
        sign_in(first_visit, base, "parent-olga")
    # At the city: Маша's link was removed, and Ольга started teaching at 5А's school.
    sso.set_accounts(
        parent_account(
            roles=["parent", "teacher"],
            children=["pupil-petya"],
            school_ids=[schools["class_a"].school.external_id],
        )
    )

    with requests.Session() as second_visit:
        home = sign_in(second_visit, base, "parent-olga")

    text = visible_text(home)
    assert child_line(petya, schools["class_a"]) in text
    assert masha.full_name not in text
    assert 'data-role="teacher"' in home.text
    parent = User.objects.get(oidc_sub="parent-olga")
    assert parent.role_set == {Role.PARENT, Role.TEACHER}
    assert {link.pupil for link in parent.guardianships.all()} == {petya}


def test_next_inside_the_platform_is_followed(sso, schools, browser, base):
    class_a = schools["class_a"]
    city_pupil(sso, class_a, "pupil-petya", "Петя")
    sso.set_accounts(city_account("pupil-petya", roles=["pupil"]))

    page = sign_in(browser, base, "pupil-petya", next=f"/classes/{class_a.pk}/")

    assert page.status_code == 200
    assert urlsplit(page.url).path == f"/classes/{class_a.pk}/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/steal", "//evil.example/steal", "https:evil.example"],
)
def test_next_off_site_lands_on_the_home_page(sso, browser, base, next_url):
    sso.set_accounts(parent_account())

    page = sign_in(browser, base, "parent-olga", next=next_url)

    assert page.status_code == 200
    assert page.url == f"{base}/"
    assert "evil.example" not in page.url


def test_provider_refuses_a_request_without_pkce(sso, browser, base):
    query = {
        "client_id": "city-school-platform",
        "response_type": "code",
        "scope": "openid",
        "redirect_uri": f"{base}/oidc/callback/",
        "state": "s",
        "nonce": "n",
    }

    answer = browser.get(
        sso.discovery["authorization_endpoint"],
        params=query,
        allow_redirects=False,
        timeout=10,
    )

    assert answer.status_code == 303
    error = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert error["error"] == ["invalid_request"]
    assert "PKCE" in error["error_description"][0]


def test_wrong_password_at_the_provider_is_explained(sso, browser, base):
    sso.set_accounts(parent_account())
    page = open_provider_login(browser, base)

    answer = browser.post(
        form_action(page), data={"login": "parent-olga", "password": "nope"}
    )

    assert answer.status_code == 401
    assert "Wrong login or password" in answer.text
    assert 'name="password"' in answer.text
    assert not is_signed_in(browser, base)


# --- Refusals: forged ID tokens between the platform and the provider


def resigned(sso, **changes):
    def rewrite(token: str) -> str:
        return sso.sign(token_claims(token) | changes)

    return rewrite


def test_faithfully_resigned_token_is_accepted(sso, token_proxy, browser, base):
    """The proxy itself changes nothing: the refusals below are the changes' doing."""
    sso.set_accounts(parent_account())
    token_proxy.rewrite = resigned(sso)

    home = sign_in(browser, base, "parent-olga")

    assert home.status_code == 200
    assert is_signed_in(browser, base)


def hs256_with_public_key(sso, claims: dict) -> str:
    """Key confusion: an HMAC token whose secret is the provider's public RSA key
    (which anyone can fetch), accepted by a verifier that lets the token choose
    its algorithm."""
    public_pem = sso.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": sso.kid}
    signing_input = ".".join(
        _b64url(json.dumps(part).encode()) for part in (header, claims)
    )
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


FORGERIES = {
    "tampered signature": lambda sso: flip_signature_byte,
    "signed by another key": lambda sso: (
        lambda token: sso.sign(
            token_claims(token),
            key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        )
    ),
    "alg none": lambda sso: lambda token: unsigned(token_claims(token)),
    "HS256 keyed with the provider's public key": lambda sso: (
        lambda token: hs256_with_public_key(sso, token_claims(token))
    ),
    "wrong nonce": lambda sso: resigned(sso, nonce="not-the-nonce-we-sent"),
    "wrong audience": lambda sso: resigned(sso, aud="another-client"),
    "wrong issuer": lambda sso: resigned(sso, iss="https://evil.example"),
    "another subject": lambda sso: resigned(sso, sub="someone-else"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_id_token_is_refused(sso, token_proxy, browser, base, forgery):
    sso.set_accounts(parent_account())
    token_proxy.rewrite = FORGERIES[forgery](sso)

    page = sign_in(browser, base, "parent-olga")

    assert_refused(page, "invalid_response", browser, base, "parent-olga")
    assert not User.objects.filter(oidc_sub="someone-else").exists()


def test_expired_id_token_is_refused(sso, token_proxy, browser, base):
    sso.set_accounts(parent_account())
    an_hour_ago = int(time.time()) - 3600
    token_proxy.rewrite = resigned(sso, iat=an_hour_ago - 60, exp=an_hour_ago)

    page = sign_in(browser, base, "parent-olga")

    assert_refused(page, "expired", browser, base, "parent-olga")


# --- Refusals: claims the platform cannot use


@pytest.mark.parametrize(
    "claims",
    [
        {"roles": ["janitor"]},
        {"roles": ["parent", "superhero"]},
        {"roles": []},
        {"roles": ["teacher"], "school_ids": ["no-such-school"]},
    ],
    ids=["unknown role", "one unknown role", "no role", "unknown school"],
)
def test_unusable_claims_are_refused(sso, browser, base, claims):
    sso.set_accounts(city_account("newcomer", **claims))

    page = sign_in(browser, base, "newcomer")

    assert_refused(page, "account", browser, base, "newcomer")


def test_unknown_school_leaves_an_existing_account_unchanged(
    sso, schools, browser, base
):
    class_a = schools["class_a"]
    pupil = city_pupil(sso, class_a, "pupil-petya", "Петя")
    sso.set_accounts(
        city_account(
            "pupil-petya",
            given_name="Другое имя",
            roles=["teacher"],
            school_ids=["no-such-school"],
        )
    )

    page = sign_in(browser, base, "pupil-petya")

    assert page.status_code == 400
    assert failure_message("account") in visible_text(page)
    pupil.refresh_from_db()
    assert pupil.first_name == "Петя"
    assert pupil.role_set == {Role.PUPIL}


# --- Refusals: a broken or replayed callback


@pytest.mark.parametrize(
    ("state", "code"),
    [("state-we-never-sent", "invalid_response"), (None, "invalid_response")],
    ids=["wrong state", "missing state"],
)
def test_callback_with_wrong_state_is_refused(sso, browser, base, state, code):
    sso.set_accounts(parent_account())
    callback = authorize(browser, base, "parent-olga")

    page = browser.get(with_query(callback, state=state), timeout=10)

    assert_refused(page, code, browser, base, "parent-olga")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "invalid_response"),
        ("code=forged&state=forged", "invalid_response"),
        ("state=only", "invalid_response"),
        ("code=%00%FF%FE&state=%3Cscript%3E", "invalid_response"),
        ("error=access_denied&error_description=%3Cscript%3E", "provider_error"),
    ],
)
def test_garbage_callback_is_refused(sso, browser, base, query, code):
    page = browser.get(f"{base}/oidc/callback/?{query}", timeout=10)

    assert page.status_code == 400
    assert failure_message(code) in visible_text(page)
    assert "<script>" not in page.text
    assert not is_signed_in(browser, base)
    assert not User.objects.exists()


def test_callback_after_the_login_was_started_in_another_browser_is_refused(
    sso, browser, base
):
    sso.set_accounts(parent_account())
    callback = authorize(browser, base, "parent-olga")

    with requests.Session() as attacker:
        page = attacker.get(callback, timeout=10)
        assert_refused(page, "invalid_response", attacker, base, "parent-olga")


def test_cancelling_at_the_provider_is_explained(sso, browser, base):
    page = open_provider_login(browser, base)
    abort = re.search(r'href="(/interaction/[^"]+/abort)"', page.text).group(1)

    answer = browser.get(urljoin(page.url, abort), timeout=10)

    assert answer.status_code == 400
    assert failure_message("provider_error") in visible_text(answer)
    assert not is_signed_in(browser, base)


def test_replayed_authorization_code_is_refused(sso, browser, base):
    sso.set_accounts(parent_account())
    callback = authorize(browser, base, "parent-olga")
    login_state = session_store(browser.cookies["sessionid"]).load()["oidc_states"]
    assert browser.get(callback, timeout=10).status_code == 200
    # Put state, nonce and PKCE verifier back, so that only the code is stale.
    session = session_store(browser.cookies["sessionid"])
    session["oidc_states"] = login_state
    session.save()

    page = browser.get(callback, timeout=10)

    assert page.status_code == 400
    assert failure_message("expired") in visible_text(page)
    assert not is_signed_in(browser, base)


# --- Logout


def sign_out(browser, base: str) -> requests.Response:
    home = browser.get(f"{base}/", timeout=10)
    return csrf_post(browser, home, f"{base}/oidc/logout/")


def confirm_provider_logout(browser, end_session_url: str) -> requests.Response:
    page = browser.get(end_session_url, timeout=10)
    return browser.post(
        form_action(page),
        data={"xsrf": hidden_field(page, "xsrf"), "logout": "yes"},
        timeout=10,
    )


def test_logout_ends_the_platform_and_provider_sessions(sso, browser, base):
    sso.set_accounts(parent_account())
    sign_in(browser, base, "parent-olga")
    id_token = session_store(browser.cookies["sessionid"]).load()["oidc_id_token"]

    answer = sign_out(browser, base)

    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(sso.discovery["end_session_endpoint"])
    query = parse_qs(urlsplit(location).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{base}/login/"]
    assert not is_signed_in(browser, base)

    landing = confirm_provider_logout(browser, location)

    assert landing.url == f"{base}/login/"
    # The provider forgot the person too: signing in asks for the password again.
    open_provider_login(browser, base)


def test_provider_logout_ends_the_other_platform_session(sso, base):
    sso.set_accounts(parent_account())
    with requests.Session() as laptop, requests.Session() as phone:
        sign_in(laptop, base, "parent-olga")
        # The phone shares the provider session: it signs in without a password.
        phone.cookies.update(
            {c.name: c.value for c in laptop.cookies if "127.0.0.1" in c.domain}
        )
        home = phone.get(f"{base}/oidc/authenticate/", timeout=10)
        assert urlsplit(home.url).path == "/"
        assert is_signed_in(phone, base)
        sids = set(CitySession.objects.values_list("sid", flat=True))
        assert len(sids) == 1
        assert CitySession.objects.count() == 2

        confirm_provider_logout(laptop, sign_out(laptop, base).headers["Location"])

        assert not is_signed_in(phone, base)
        assert not CitySession.objects.exists()


# --- Back-channel logout tokens sent straight to the platform


def logout_claims(sso, session: CitySession, **changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": sso.issuer,
        "aud": "city-school-platform",
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
        "sub": session.user.oidc_sub,
        "sid": session.sid,
        "events": {BACKCHANNEL_EVENT: {}},
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def post_logout_token(base: str, token: str) -> requests.Response:
    return requests.post(
        f"{base}/oidc/backchannel-logout/", data={"logout_token": token}, timeout=10
    )


@pytest.fixture
def signed_in_parent(sso, browser, base) -> CitySession:
    sso.set_accounts(parent_account())
    sign_in(browser, base, "parent-olga")
    assert is_signed_in(browser, base)
    return CitySession.objects.select_related("user").get()


def test_valid_logout_token_ends_the_session(sso, signed_in_parent, browser, base):
    answer = post_logout_token(base, sso.sign(logout_claims(sso, signed_in_parent)))

    assert answer.status_code == 200
    assert not is_signed_in(browser, base)


def without(claims: dict, name: str) -> dict:
    return {key: value for key, value in claims.items() if key != name}


OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)

LOGOUT_FORGERIES = {
    "wrong signature": lambda sso, claims: flip_signature_byte(sso.sign(claims)),
    "another key": lambda sso, claims: sso.sign(claims, key=OTHER_KEY),
    "alg none": lambda sso, claims: unsigned(claims),
    "no events claim": lambda sso, claims: sso.sign(without(claims, "events")),
    "wrong event": lambda sso, claims: sso.sign(claims | {"events": {"login": {}}}),
    "carries a nonce": lambda sso, claims: sso.sign(claims | {"nonce": "n"}),
    "wrong audience": lambda sso, claims: sso.sign(claims | {"aud": "other"}),
    "wrong issuer": lambda sso, claims: sso.sign(claims | {"iss": "https://x.test"}),
    "no jti": lambda sso, claims: sso.sign(without(claims, "jti")),
    "no exp": lambda sso, claims: sso.sign(without(claims, "exp")),
    "HS256 keyed with the public key": lambda sso, claims: hs256_with_public_key(
        sso, claims
    ),
    "expired": lambda sso, claims: sso.sign(
        claims | {"iat": claims["iat"] - 900, "exp": claims["iat"] - 600}
    ),
}


@pytest.mark.parametrize("forgery", LOGOUT_FORGERIES)
def test_forged_logout_token_is_refused(sso, signed_in_parent, browser, base, forgery):
    token = LOGOUT_FORGERIES[forgery](sso, logout_claims(sso, signed_in_parent))

    answer = post_logout_token(base, token)

    assert answer.status_code == 400
    assert is_signed_in(browser, base)
    assert CitySession.objects.filter(pk=signed_in_parent.pk).exists()


def test_replayed_logout_token_id_is_refused(sso, signed_in_parent, browser, base):
    jti = uuid.uuid4().hex
    elsewhere = logout_claims(sso, signed_in_parent, jti=jti, sid="another-sid")
    assert post_logout_token(base, sso.sign(elsewhere)).status_code == 200

    replay = logout_claims(sso, signed_in_parent, jti=jti)
    answer = post_logout_token(base, sso.sign(replay))

    assert answer.status_code == 400
    assert is_signed_in(browser, base)


def test_a_replay_is_refused_by_a_process_that_did_not_see_the_first(
    sso, signed_in_parent, browser, base
):
    """Another worker has its own memory: cleared here, the jti must still be
    known (it is kept in the database for the token's lifetime)."""
    jti = uuid.uuid4().hex
    elsewhere = logout_claims(sso, signed_in_parent, jti=jti, sid="another-sid")
    assert post_logout_token(base, sso.sign(elsewhere)).status_code == 200
    cache.clear()

    replay = logout_claims(sso, signed_in_parent, jti=jti)
    answer = post_logout_token(base, sso.sign(replay))

    assert answer.status_code == 400
    assert is_signed_in(browser, base)


def test_logout_token_that_does_not_match_the_session_leaves_it(
    sso, signed_in_parent, browser, base
):
    token = sso.sign(logout_claims(sso, signed_in_parent, sid="another-sid"))

    assert post_logout_token(base, token).status_code == 200
    assert is_signed_in(browser, base)


# --- Local password sign-in


def password_sign_in(browser, base: str, username: str, password: str):
    page = browser.get(f"{base}/login/", timeout=10)
    return csrf_post(
        browser, page, f"{base}/login/", username=username, password=password
    )


@pytest.fixture
def local_users(db):
    password = "correct horse battery"  # the factory's password
    return (
        factories.UserFactory(username="alice", roles=[Role.TEACHER]),
        factories.UserFactory(username="bob", roles=[Role.TEACHER]),
        password,
    )


def test_local_password_sign_in(local_users, browser, base):
    answer = password_sign_in(browser, base, "alice", local_users[2])

    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert is_signed_in(browser, base)


def test_password_sign_in_ignores_code_and_state_in_the_url(local_users, browser, base):
    page = browser.get(f"{base}/login/", timeout=10)

    answer = csrf_post(
        browser,
        page,
        f"{base}/login/?code=forged&state=forged",
        username="alice",
        password="wrong",
    )

    assert answer.status_code == 200
    assert 'role="alert"' in answer.text
    assert not is_signed_in(browser, base)


def test_local_password_sign_in_can_be_switched_off(
    local_users, browser, base, settings
):
    settings.LOCAL_LOGIN_ENABLED = False

    answer = password_sign_in(browser, base, "alice", local_users[2])

    assert answer.status_code == 404
    assert not is_signed_in(browser, base)


def test_wrong_passwords_lock_only_that_username(local_users, browser, base):
    for _ in range(5):
        wrong = password_sign_in(browser, base, "alice", "guess")
        assert wrong.status_code in (200, 429)
        assert not is_signed_in(browser, base)

    locked = password_sign_in(browser, base, "alice", local_users[2])

    assert locked.status_code == 429
    assert not is_signed_in(browser, base)
    with requests.Session() as colleague:
        assert (
            password_sign_in(colleague, base, "bob", local_users[2]).status_code == 302
        )
        assert is_signed_in(colleague, base)
