"""Sign-in with the city account (OpenID Connect) on top of mozilla-django-oidc.

The library handles state, nonce and PKCE; this module adds what it leaves out:
audience, issuer and expiry checks on the ID token, claims → roles and family
links, a clear page for every refusal, RP-initiated and back-channel logout.
"""

import datetime
import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from school import services

logger = logging.getLogger("school.sso")

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"

FAILURE_MESSAGES = {
    "invalid_response": _(
        "The answer from the city account service could not be verified, so you were "
        "not signed in. Please start signing in again."
    ),
    "expired": _(
        "This sign-in link has expired or was already used. "
        "Please start signing in again."
    ),
    "provider_error": _("The city account service did not complete the sign-in."),
    "account": _(
        "Your city account cannot be used on the school platform yet. Please ask your "
        "school's administrator to check your roles and school."
    ),
    "unavailable": _(
        "The city account service is not answering. Please try again in a few minutes."
    ),
}


class SignInRefused(Exception):
    """A refused sign-in: `code` picks the message shown, `detail` goes to the log.

    Not a SuspiciousOperation on purpose: the library swallows those into a bare
    redirect, and the person should learn why they were not signed in.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class TokenVerifier:
    """Verifies JWTs signed by the city provider against its published keys."""

    def __init__(self) -> None:
        self.issuer = settings.OIDC_OP_ISSUER
        self.audience = settings.OIDC_RP_CLIENT_ID
        self.algorithm = settings.OIDC_RP_SIGN_ALGO

    def decode(self, token: str, *, required: list[str]) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise SignInRefused(
                "invalid_response", f"unreadable token: {error}"
            ) from error
        if header.get("alg") != self.algorithm:
            raise SignInRefused(
                "invalid_response", f"token alg {header.get('alg')!r} refused"
            )
        key = self._signing_key(header.get("kid"))
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
                options={"require": required},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused("expired", "token expired") from error
        except jwt.PyJWTError as error:
            raise SignInRefused(
                "invalid_response", f"token refused: {error}"
            ) from error

    def _signing_key(self, kid: str | None) -> jwt.PyJWK:
        # Fetched on every sign-in: the provider may rotate keys at any time.
        try:
            response = requests.get(
                settings.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (requests.RequestException, ValueError, jwt.PyJWTError) as error:
            raise SignInRefused(
                "unavailable", f"JWKS not available: {error}"
            ) from error
        for key in keys:
            if key.key_id == kid and key.algorithm_name in (None, self.algorithm):
                return key
        raise SignInRefused("invalid_response", f"no published key with kid {kid!r}")


class CityAccountBackend(OIDCAuthenticationBackend):
    """Authenticates a city account and keeps its roles and family links in step."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce. Without this, a password sign-in
        # posted to a URL carrying ?code=…&state=… would start a code exchange.
        if "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:
            # The provider refuses an expired, replayed or forged authorization code.
            raise SignInRefused(
                "expired", f"token endpoint refused: {error}"
            ) from error
        except requests.RequestException as error:
            raise SignInRefused(
                "unavailable", f"provider unreachable: {error}"
            ) from error

    def get_user(self, user_id):
        # The library loads a session's user even after the account was
        # deactivated; a deactivated person must be signed out on the next request.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or not token:
            raise SignInRefused("invalid_response", "no ID token in the token response")
        payload = TokenVerifier().decode(
            token, required=["exp", "iat", "iss", "aud", "sub"]
        )
        if payload.get("nonce") != kwargs.get("nonce"):
            raise SignInRefused("invalid_response", "nonce does not match")
        self.request.city_sid = payload.get("sid", "")
        self.request.city_id_claims = payload
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SignInRefused(
                "invalid_response", "userinfo sub differs from ID token sub"
            )
        try:
            claims = services.city_claims_parse(
                {**userinfo, **payload},
                roles_claim=settings.OIDC_CLAIM_ROLES,
                schools_claim=settings.OIDC_CLAIM_SCHOOLS,
                children_claim=settings.OIDC_CLAIM_CHILDREN,
                patronymic_claim=settings.OIDC_CLAIM_PATRONYMIC,
            )
            return services.city_account_sync(
                issuer=settings.OIDC_OP_ISSUER, claims=claims
            )
        except services.CityClaimsError as error:
            raise SignInRefused("account", str(error)) from error

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict):
            raise SignInRefused("invalid_response", "userinfo is not a JSON object")
        return userinfo


class CityCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back; every refusal ends on a clear page, signed out."""

    def get(self, request):
        try:
            if request.GET.get("error"):
                super().get(request)
                return self._refuse(
                    SignInRefused("provider_error", request.GET.get("error", "")[:200])
                )
            return super().get(request)
        except SignInRefused as refusal:
            return self._refuse(refusal)
        except SuspiciousOperation as error:
            return self._refuse(SignInRefused("invalid_response", str(error)))

    def login_success(self):
        response = super().login_success()
        services.city_session_record(
            user=self.user,
            session_key=self.request.session.session_key,
            sid=getattr(self.request, "city_sid", ""),
        )
        logger.info("City sign-in of user %s", self.user.pk)
        return response

    def login_failure(self):
        return self._refuse(
            SignInRefused(
                "invalid_response", "callback without a matching state or code"
            )
        )

    def _refuse(self, refusal: SignInRefused) -> HttpResponse:
        logger.warning("City sign-in refused: %s", refusal)
        if self.request.user.is_authenticated:
            auth.logout(self.request)
        message = FAILURE_MESSAGES.get(
            refusal.code, FAILURE_MESSAGES["invalid_response"]
        )
        return render(
            self.request, "school/login_failed.html", {"message": message}, status=400
        )


def provider_logout_url(request: HttpRequest) -> str:
    """Where to go after local logout so the provider ends its session too."""
    id_token = request.session.get("oidc_id_token")
    after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    if not id_token:
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{settings.OIDC_OP_END_SESSION_ENDPOINT}?{query}"


# The provider posts here server to server: the signed token is the proof.
@method_decorator([csrf_exempt, never_cache], name="dispatch")  # nosemgrep
class BackChannelLogoutView(View):
    """OpenID Connect Back-Channel Logout 1.0: the provider ends a session here."""

    http_method_names = ["post"]

    def post(self, request):
        token = request.POST.get("logout_token", "")
        try:
            claims = TokenVerifier().decode(
                token, required=["iat", "exp", "iss", "aud", "jti"]
            )
            self._check_logout_claims(claims)
        except SignInRefused as refusal:
            logger.warning("Back-channel logout refused: %s", refusal)
            return JsonResponse(
                {"error": "invalid_request", "error_description": refusal.detail},
                status=400,
            )
        ended = services.city_sessions_end(
            issuer=claims["iss"], sub=claims.get("sub"), sid=claims.get("sid")
        )
        logger.info("Back-channel logout ended %d session(s)", ended)
        return HttpResponse(status=200)

    def _check_logout_claims(self, claims: dict) -> None:
        events = claims.get("events")
        if not isinstance(events, dict) or BACKCHANNEL_EVENT not in events:
            raise SignInRefused("invalid_response", "not a back-channel logout event")
        if "nonce" in claims:
            raise SignInRefused(
                "invalid_response", "a logout token must not carry a nonce"
            )
        if not (claims.get("sid") or claims.get("sub")):
            raise SignInRefused("invalid_response", "logout token names no sid or sub")
        # A replayed logout token is refused: its jti is remembered in the
        # database for its lifetime, so every process knows it.
        expires_at = datetime.datetime.fromtimestamp(
            int(claims["exp"]) + settings.OIDC_CLOCK_LEEWAY_SECONDS, tz=datetime.UTC
        )
        if not services.logout_token_use(
            issuer=claims["iss"], jti=str(claims["jti"]), expires_at=expires_at
        ):
            raise SignInRefused("invalid_response", "logout token replayed")
