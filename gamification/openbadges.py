"""Open Badges 3.0: each award as a credential signed by its school.

The school is the issuer: a per-school Ed25519 key pair made on first use (the
private half stored only encrypted), published in the issuer profile. A
credential is an OpenBadgeCredential as JWT-VC (openbadgeslib), names the pupil
only by a salted hash, and points at the school's Bitstring Status List, which
a revocation flips. Verification runs openbadgeslib against the school's key and
fetches the status list from this module, never over the network.
"""

import base64
import datetime
import hmac
import math
import re
import uuid
from dataclasses import dataclass

import jwt
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openbadgeslib.errors import LibOpenBadgesException
from openbadgeslib.keys import public_jwk_from_pem
from openbadgeslib.ob3 import (
    Achievement,
    IdentityObject,
    Issuer,
    OB3Signer,
    OB3VerificationError,
    OB3Verifier,
    OpenBadgeCredential,
    build_status_list_credential,
    check_credential_status,
    sign_status_list_credential,
    status_entry,
)
from openbadgeslib.ob3.status_list import DEFAULT_SIZE_BITS

from gamification.models import Badge, BadgeAward, BadgeCriterion, BadgeIssuerKey
from school.models import School

ALGORITHM = "EdDSA"
# The status list is re-signed on every request; a copy replayed after this long
# is refused by verifiers, so an old list cannot hide a revocation.
STATUS_LIST_VALID_FOR = datetime.timedelta(days=1)
MAX_TOKEN_CHARS = 64 * 1024


# --- Keys


def _fernet() -> MultiFernet:
    """Encrypts with BADGE_KEYS_SECRET; decrypts with it, its fallbacks, and the
    SECRET_KEYs that encrypted school keys before the badge secret existed."""
    secrets = [
        settings.BADGE_KEYS_SECRET,
        *settings.BADGE_KEYS_SECRET_FALLBACKS,
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", []),
    ]
    return MultiFernet([Fernet(_derived_key(secret)) for secret in secrets])


def _derived_key(secret: str, purpose: bytes = b"issuer private key") -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"gamification.openbadges",
        info=purpose,
    )
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def recipient_pseudonym(pupil_id: int) -> str:
    """A stable stand-in for the pupil that only this platform can compute: a
    hash of the bare id, salt or not, could be reversed by counting ids."""
    key = _derived_key(settings.BADGE_KEYS_SECRET, b"badge recipient")
    return hmac.new(key, str(pupil_id).encode(), "sha256").hexdigest()


def issuer_key(school: School) -> BadgeIssuerKey:
    """The school's signing key, made on first use (two first uses at once keep
    the one stored first)."""
    key = BadgeIssuerKey.objects.filter(school=school).first()
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    BadgeIssuerKey.objects.bulk_create(
        [
            BadgeIssuerKey(
                school=school,
                algorithm=ALGORITHM,
                public_pem=public_pem.decode(),
                private_encrypted=_fernet().encrypt(private_pem).decode(),
            )
        ],
        ignore_conflicts=True,
    )
    return BadgeIssuerKey.objects.get(school=school)


def _private_pem(key: BadgeIssuerKey) -> bytes:
    return _fernet().decrypt(key.private_encrypted.encode())


# --- Identifiers (absolute URLs: they travel inside the credential)


def _absolute(path: str) -> str:
    base = getattr(settings, "BADGES_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def issuer_id(school_id: int) -> str:
    return _absolute(reverse("gamification:badge_issuer", args=[school_id]))


def status_list_url(school_id: int) -> str:
    return _absolute(reverse("gamification:badge_status_list", args=[school_id]))


def _school_id_of_issuer(issuer: str) -> int | None:
    prefix = issuer_id(0).removesuffix("0/")
    match = re.fullmatch(r"(\d{1,18})/", issuer.removeprefix(prefix))
    return int(match.group(1)) if issuer.startswith(prefix) and match else None


def issuer_profile(school: School) -> dict:
    """The issuer's OB 3.0 Profile with its public key as a verification method."""
    key = issuer_key(school)
    profile = _issuer(school).to_dict()
    profile["@context"] = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    profile["verificationMethod"] = [
        {
            "id": profile["id"] + "#key-1",
            "type": "JsonWebKey2020",
            "controller": profile["id"],
            "publicKeyJwk": public_jwk_from_pem(key.public_pem),
        }
    ]
    return profile


def _issuer(school: School) -> Issuer:
    return Issuer(id=issuer_id(school.pk), name=school.name, url=_absolute("/"))


# --- Credentials

CRITERIA = {
    BadgeCriterion.POINTS_TOTAL: "Earn %(n)s points in total on the school platform.",
    BadgeCriterion.ACTIVITIES: "Complete %(n)s learning games or self-paced quizzes.",
    BadgeCriterion.STREAK: "Learn on %(n)s days in a row.",
    BadgeCriterion.QUIZ_WINS: "Win %(n)s live quiz games.",
    BadgeCriterion.SUBJECT_MASTERY: "Earn %(n)s points in %(subject)s.",
}


def criteria_narrative(badge: Badge) -> str:
    """The criterion in words for the credential. Not translated: a credential
    is read by any verifier anywhere, so it is written once, in English."""
    subject = badge.subject.name if badge.subject_id else ""
    return CRITERIA[badge.criterion] % {"n": badge.threshold, "subject": subject}


def achievement_for(badge: Badge) -> Achievement:
    """The badge as an OB 3.0 Achievement; its id is the public URL serving it."""
    return Achievement(
        id=_absolute(reverse("gamification:badge_achievement", args=[badge.pk])),
        name=badge.name,
        description=badge.description or badge.name,
        criteria_narrative=criteria_narrative(badge),
        image_url=_absolute(reverse("gamification:badge_art", args=[badge.pk])),
        achievement_type="Badge",
    )


def _status_index(award: BadgeAward) -> int:
    if award.status_index is not None:
        return award.status_index
    with transaction.atomic():
        issuer_key(award.school)
        key = BadgeIssuerKey.objects.select_for_update().get(school_id=award.school_id)
        index = key.next_status_index
        taken = BadgeAward.objects.filter(pk=award.pk, status_index__isnull=True)
        if taken.update(status_index=index):
            key.next_status_index = index + 1
            key.save(update_fields=["next_status_index"])
    award.refresh_from_db(fields=["status_index"])
    return award.status_index


def credential_prepare(award: BadgeAward) -> None:
    """Makes the school's signing key (on its first award) and gives the award
    its status bit: done when the badge is awarded, so that showing or checking
    the credential later writes nothing."""
    _status_index(award)


def credential_for(award: BadgeAward) -> OpenBadgeCredential:
    """The award as an OpenBadgeCredential (unsigned). The pupil appears only as
    a salted SHA-256 of their pseudonym, never a name, an address or an id."""
    badge = award.badge
    index = _status_index(award)
    achievement = achievement_for(badge)
    recipient = IdentityObject.create(
        recipient_pseudonym(award.pupil_id),
        salt=award.recipient_salt,
        identity_type="systemId",
    )
    return OpenBadgeCredential(
        id=f"urn:uuid:{award.public_id}",
        issuer=_issuer(award.school),
        recipient_id=None,
        identifiers=[recipient],
        achievement=achievement,
        issuance_date=award.awarded_at,
        credential_status=[
            status_entry(status_list_url(award.school_id), "revocation", index)
        ],
    )


def _signer(school: School) -> OB3Signer:
    key = issuer_key(school)
    return OB3Signer(privkey_pem=_private_pem(key), algorithm=key.algorithm)


def credential_issue(*, award: BadgeAward) -> str:
    """The award's credential signed as a compact JWT-VC. Ed25519 signatures are
    deterministic, so the same award yields the same token every time."""
    return _signer(award.school).sign(credential_for(award))


def credential_bake(*, award: BadgeAward) -> bytes:
    """The badge art as a PNG with the signed credential in its
    `openbadgecredential` iTXt chunk (OB 3.0 baking)."""
    return _signer(award.school).sign_into_png(credential_for(award), award.badge.art)


# --- Revocation list


def status_list_token(school: School) -> str:
    """The school's revocation Bitstring Status List, signed by its key."""
    key = issuer_key(school)
    revoked = BadgeAward.objects.filter(
        school=school, revoked_at__isnull=False, status_index__isnull=False
    ).values_list("status_index", flat=True)
    size = DEFAULT_SIZE_BITS * max(
        1, math.ceil(key.next_status_index / DEFAULT_SIZE_BITS)
    )
    now = timezone.now()
    document = build_status_list_credential(
        issuer_id(school.pk),
        status_list_url(school.pk),
        "revocation",
        list(revoked),
        size_bits=size,
        issued=now,
        valid_until=now + STATUS_LIST_VALID_FOR,
    )
    return sign_status_list_credential(document, _private_pem(key), key.algorithm)


# --- Verification


@dataclass(frozen=True)
class Verdict:
    """What the public verification page shows: nothing about the child."""

    status: str  # "valid", "revoked" or "invalid"
    problem: str = ""  # for "invalid": a code the page explains
    issuer_name: str = ""
    issuer_id: str = ""
    achievement_name: str = ""
    achievement_description: str = ""
    criteria: str = ""
    image_url: str = ""
    issued_at: datetime.datetime | None = None
    credential_id: str = ""


def _invalid(problem: str) -> Verdict:
    return Verdict(status="invalid", problem=problem)


def _local_status_fetch(school: School):
    own_url = status_list_url(school.pk)

    def fetch(url: str) -> bytes:
        # Only our own list: a credential naming another URL must not make the
        # server fetch it (and it is not one of ours then).
        if url != own_url:
            raise ValueError("not this issuer's status list")
        return status_list_token(school).encode()

    return fetch


def credential_verify(token: str) -> Verdict:
    """Verifies a JWT-VC issued here: the signature (openbadgeslib, against the
    issuing school's key), the structure and dates, then revocation through the
    school's Bitstring Status List."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN_CHARS:
        return _invalid("malformed")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except (jwt.InvalidTokenError, ValueError):
        return _invalid("malformed")
    school_id = _school_id_of_issuer(str(claims.get("iss", "")))
    # The issuer a credential names: public, as its key is (no person's row).
    school = None
    if school_id:
        school = School.objects.filter(pk=school_id).first()  # nosemgrep
    key = BadgeIssuerKey.objects.filter(school=school).first() if school else None
    if key is None:
        return _invalid("unknown_issuer")
    try:
        credential = OB3Verifier(pubkey_pem=key.public_pem).verify(token)
    except (OB3VerificationError, LibOpenBadgesException):
        return _invalid("signature")
    verdict = Verdict(
        status="valid",
        issuer_name=school.name,
        issuer_id=credential.issuer.id,
        achievement_name=credential.achievement.name,
        achievement_description=credential.achievement.description,
        criteria=credential.achievement.criteria_narrative,
        image_url=credential.achievement.image_url or "",
        issued_at=credential.issuance_date,
        credential_id=credential.id or "",
    )
    try:
        check_credential_status(
            credential,
            download=_local_status_fetch(school),
            verify_list=True,
            list_pubkey_pem=key.public_pem,
        )
    except OB3VerificationError:
        revoked = BadgeAward.objects.filter(
            public_id=_award_uuid(credential.id), revoked_at__isnull=False
        )
        if revoked.exists():
            return Verdict(**{**verdict.__dict__, "status": "revoked"})
        return _invalid("status")
    return verdict


def _award_uuid(credential_id: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((credential_id or "").removeprefix("urn:uuid:"))
    except ValueError:
        return None


def award_verify(public_id: uuid.UUID) -> Verdict:
    """Verifies the credential of the award with this public id. Read-only: the
    public check page may be opened by anyone, any number of times, so an award
    not yet prepared (`credential_prepare`) is not one we can vouch for."""
    # Anyone may check a badge by its public id; the verdict names no child.
    award = (  # nosemgrep
        BadgeAward.objects.select_related("badge__subject", "school")
        .filter(public_id=public_id)
        .first()
    )
    if award is None or award.status_index is None:
        return _invalid("unknown_credential")
    if not BadgeIssuerKey.objects.filter(school_id=award.school_id).exists():
        return _invalid("unknown_credential")
    return credential_verify(credential_issue(award=award))


def token_from_png(data: bytes) -> str:
    """The credential baked into a PNG, or "" when there is none."""
    try:
        return OB3Verifier.extract_token_from_png(data)
    except (LibOpenBadgesException, ValueError, OSError):
        return ""
