"""Open Badges 3.0: credentials signed by the school, checked as an outside
verifier would with openbadgeslib; the key stored encrypted; baking; the
Bitstring Status List revocation."""

import json

import jwt
import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from openbadgeslib.keys import public_jwk_from_pem
from openbadgeslib.ob3 import (
    IdentityObject,
    OB3Signer,
    OB3VerificationError,
    OB3Verifier,
    check_credential_status,
)
from openbadgeslib.ob3.did import _jwk_to_pem

from gamification import openbadges
from gamification.badges import badge_award_revoke
from gamification.models import BadgeAward, BadgeIssuerKey
from tests import factories
from tests.gamification.badge_factories import make_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(city):
    return make_award(city)


def fetch_with(client):
    """An outside verifier's HTTP fetch, served by the test client."""

    def fetch(url: str) -> bytes:
        response = client.get(url.removeprefix(openbadges._absolute("")))
        assert response.status_code == 200, url
        return response.content

    return fetch


def published_key(client, school) -> bytes:
    profile = client.get(reverse("gamification:badge_issuer", args=[school.pk])).json()
    return _jwk_to_pem(profile["verificationMethod"][0]["publicKeyJwk"])


def test_the_credential_verifies_against_the_published_issuer_key(client, city, held):
    token = openbadges.credential_issue(award=held)

    credential = OB3Verifier(pubkey_pem=published_key(client, city.school_one)).verify(
        token, check_status=True, download=fetch_with(client)
    )

    assert credential.issuer.id == openbadges.issuer_id(city.school_one.pk)
    assert credential.issuer.name == city.school_one.name
    assert credential.achievement.name == "Звезда"
    assert credential.id == f"urn:uuid:{held.public_id}"
    assert credential.achievement.image_url.endswith(
        reverse("gamification:badge_art", args=[held.badge_id])
    )
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_the_credential_names_no_child(city, held):
    token = openbadges.credential_issue(award=held)
    claims = jwt.decode(token, options={"verify_signature": False})
    text = json.dumps(claims, ensure_ascii=False)
    pupil = city.pupil_in
    for personal in (pupil.username, pupil.first_name, pupil.last_name, pupil.email):
        if personal:
            assert personal not in text
    subject = claims["credentialSubject"]
    assert "id" not in subject and "sub" not in claims
    (identifier,) = subject["identifier"]
    assert identifier["hashed"] is True
    assert identifier["identityHash"].startswith("sha256$")
    assert identifier["salt"] == held.recipient_salt
    # The school can show whose it is; nobody can by counting user ids.
    expected = IdentityObject.create(
        openbadges.recipient_pseudonym(pupil.pk), salt=held.recipient_salt
    )
    assert identifier["identityHash"] == expected.identity_hash
    bare = IdentityObject.create(str(pupil.pk), salt=held.recipient_salt)
    assert identifier["identityHash"] != bare.identity_hash


def test_the_same_award_gives_the_same_token(held):
    assert openbadges.credential_issue(award=held) == openbadges.credential_issue(
        award=held
    )


def test_the_private_key_is_stored_only_encrypted(city, held, settings):
    openbadges.credential_issue(award=held)
    key = BadgeIssuerKey.objects.get(school=city.school_one)
    assert "PRIVATE KEY" not in key.private_encrypted
    assert b"PRIVATE KEY" in openbadges._private_pem(key)

    old_secret = settings.BADGE_KEYS_SECRET
    settings.BADGE_KEYS_SECRET = "another-badge-secret-" * 3
    with pytest.raises(InvalidToken):
        openbadges._private_pem(key)
    settings.BADGE_KEYS_SECRET_FALLBACKS = [old_secret]
    assert b"PRIVATE KEY" in openbadges._private_pem(key)


def test_rotating_secret_key_breaks_no_issued_badge(client, city, held, settings):
    token = openbadges.credential_issue(award=held)
    pseudonym = openbadges.recipient_pseudonym(held.pupil_id)

    settings.SECRET_KEY = "a-freshly-rotated-secret-key-" * 3
    settings.SECRET_KEY_FALLBACKS = []

    assert openbadges.credential_verify(token).status == "valid"
    assert openbadges.credential_issue(award=held) == token
    assert openbadges.recipient_pseudonym(held.pupil_id) == pseudonym


def test_each_school_has_one_key_made_on_first_use(city):
    assert not BadgeIssuerKey.objects.exists()
    first = openbadges.issuer_key(city.school_one)
    assert openbadges.issuer_key(city.school_one).public_pem == first.public_pem
    other = openbadges.issuer_key(city.school_two)
    assert other.public_pem != first.public_pem
    assert BadgeIssuerKey.objects.count() == 2


def test_status_indexes_are_given_once_and_differ(city, held):
    classmate = factories.make_pupil(city.class_in, username="masha")
    second = make_award(city, pupil=classmate, key="teacher:second")
    openbadges.credential_issue(award=held)
    openbadges.credential_issue(award=held)
    openbadges.credential_issue(award=second)
    # Given when awarded (Маша earned both stars: three awards in all).
    indexes = sorted(
        BadgeAward.objects.filter(school=city.school_one).values_list(
            "status_index", flat=True
        )
    )
    assert indexes == [0, 1, 2]
    assert held.status_index == 0
    key = BadgeIssuerKey.objects.get(school=city.school_one)
    assert key.next_status_index == 3


def test_the_baked_png_carries_the_verifiable_credential(client, city, held):
    baked = openbadges.credential_bake(award=held)

    token = OB3Verifier.extract_token_from_png(baked)
    credential = OB3Verifier(pubkey_pem=published_key(client, city.school_one)).verify(
        token
    )
    assert credential.achievement.name == "Звезда"
    assert baked.startswith(b"\x89PNG")
    assert openbadges.token_from_png(baked) == token


def test_a_revoked_award_fails_the_status_list_check(client, city, held):
    token = openbadges.credential_issue(award=held)
    credential = OB3Verifier(pubkey_pem=published_key(client, city.school_one)).verify(
        token
    )
    key = published_key(client, city.school_one)
    check_credential_status(
        credential, download=fetch_with(client), verify_list=True, list_pubkey_pem=key
    )

    badge_award_revoke(award=held, by=city.admin_one, reason="Выдан по ошибке")

    with pytest.raises(OB3VerificationError):
        check_credential_status(
            credential,
            download=fetch_with(client),
            verify_list=True,
            list_pubkey_pem=key,
        )
    assert openbadges.credential_verify(token).status == "revoked"


def test_verify_says_valid_with_issuer_and_achievement(city, held):
    verdict = openbadges.credential_verify(openbadges.credential_issue(award=held))
    assert verdict.status == "valid"
    assert verdict.issuer_name == city.school_one.name
    assert verdict.achievement_name == "Звезда"
    assert verdict.issued_at == held.awarded_at.replace(microsecond=0)


def test_verify_refuses_a_changed_credential(held):
    token = openbadges.credential_issue(award=held)
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["credentialSubject"]["achievement"]["name"] = "Чемпион мира"
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    forged = f"{header}.{forged_payload}.{signature}"
    assert openbadges.credential_verify(forged).status == "invalid"
    assert openbadges.credential_verify(forged).problem == "signature"


def test_verify_refuses_a_credential_signed_by_another_key(city, held):
    credential = openbadges.credential_for(held)
    stranger = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    forged = OB3Signer(privkey_pem=stranger, algorithm="EdDSA").sign(credential)
    verdict = openbadges.credential_verify(forged)
    assert (verdict.status, verdict.problem) == ("invalid", "signature")


@pytest.mark.parametrize(
    "token", ["", "garbage", "a.b.c", "x" * (openbadges.MAX_TOKEN_CHARS + 1)]
)
def test_verify_refuses_what_is_not_a_credential(db, token):
    assert openbadges.credential_verify(token).status == "invalid"


def test_verify_refuses_an_issuer_that_is_not_ours(city, held):
    credential = openbadges.credential_for(held)
    credential.issuer.id = "https://elsewhere.example/issuer/"
    pem = openbadges._private_pem(BadgeIssuerKey.objects.get(school=city.school_one))
    forged = OB3Signer(privkey_pem=pem, algorithm="EdDSA").sign(credential)
    verdict = openbadges.credential_verify(forged)
    assert (verdict.status, verdict.problem) == ("invalid", "unknown_issuer")


def test_the_issuer_profile_publishes_the_public_key_only(client, city, held):
    openbadges.credential_issue(award=held)
    profile = client.get(
        reverse("gamification:badge_issuer", args=[city.school_one.pk])
    ).json()
    key = BadgeIssuerKey.objects.get(school=city.school_one)
    (method,) = profile["verificationMethod"]
    assert method["publicKeyJwk"] == public_jwk_from_pem(key.public_pem)
    assert "d" not in method["publicKeyJwk"]
    assert profile["id"] == openbadges.issuer_id(city.school_one.pk)
    assert "Profile" in profile["type"]
