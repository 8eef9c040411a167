"""Sign-in with a school's identity provider (Google Workspace, Microsoft Entra) over OpenID Connect.

Everything that makes the flow safe is authlib's, not ours: discovery from ``ISSUER/.well-known/openid-
configuration``, the authorization-code flow with PKCE (S256), ``state`` and ``nonce`` kept in the signed
Starlette session and checked on the way back (a state is good once), the ID token's RS256 signature against the
issuer's published keys, its audience (our client id), issuer and expiry. This module adds only what the school
needs on top: the issuer is pinned to the configured URL (in the discovery document and in the token), and the
person is known by an e-mail address the issuer vouches for, which the caller then matches to the roster.

Needs Starlette's ``SessionMiddleware`` on the app (state, nonce and PKCE verifier live in the session between
:meth:`OidcSignIn.login` and :meth:`OidcSignIn.callback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.starlette_client import OAuth
from starlette.requests import Request
from starlette.responses import Response

SCOPE = "openid email profile"
LOOPBACK = ("127.0.0.1", "localhost", "::1")  # the only hosts an http:// issuer may have (tests, demos)


class OidcError(Exception):
    """Sign-in through the identity provider failed; the message says why (for the log and the admin), and is
    safe to show the person signing in as a reason to try again or ask the admin."""


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the issuer says signed in: ``email`` is the address it vouches for (always ``email_verified``),
    ``subject`` its stable id for the person, ``issuer`` the configured issuer URL."""

    email: str
    email_verified: bool
    subject: str
    issuer: str


class OidcSignIn:
    """One school's OpenID Connect provider, configured by issuer URL, client id and secret.

    ``redirect_uri`` is the callback URL registered with the provider (the route that calls :meth:`callback`).
    """

    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str, *,
                 name: str = "school", timeout: float = 10.0) -> None:
        url = urlsplit(issuer)
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOOPBACK):
            raise ValueError(f"the OpenID Connect issuer must be an https:// URL, not {issuer!r}")
        self.issuer = issuer.rstrip("/")
        self.redirect_uri = redirect_uri
        # authlib checks signature, expiry, nonce and azp itself; it checks iss and aud only when told to.
        self._claims_options = {"iss": {"essential": True, "values": [self.issuer]},
                                "aud": {"essential": True, "values": [client_id]}}
        self._oauth = OAuth()
        self._client: Any = self._oauth.register(
            name,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": timeout},
        )

    async def login(self, request: Request, redirect_uri: str | None = None) -> Response:
        """A redirect that sends the browser to the issuer's sign-in page (state, nonce and PKCE verifier are
        kept in the session for :meth:`callback`); ``redirect_uri`` overrides the configured one (the web app
        passes its own public address)."""
        await self._discover()
        return await self._client.authorize_redirect(request, redirect_uri or self.redirect_uri)

    async def callback(self, request: Request) -> VerifiedIdentity:
        """The identity the issuer vouches for, from the request it redirected back with; :class:`OidcError`
        on any failure (refused or unknown state, bad code, bad signature, wrong audience or issuer, expired
        token, no e-mail or an unverified one, issuer unreachable)."""
        if error := request.query_params.get("error"):
            raise OidcError(f"the issuer refused the sign-in: {error} "
                            f"{request.query_params.get('error_description', '')}".strip())
        try:
            await self._discover()
            token = await self._client.authorize_access_token(request, claims_options=self._claims_options)
        except OidcError:
            raise
        except Exception as exc:  # authlib, joserfc and httpx each raise their own kinds: all mean "no".
            raise OidcError(f"sign-in failed: {_describe(exc)}") from exc
        claims = token.get("userinfo")
        if not claims:
            raise OidcError("sign-in failed: the issuer returned no ID token")
        email, subject = claims.get("email"), claims.get("sub")
        if not isinstance(email, str) or "@" not in email:
            raise OidcError("sign-in failed: the issuer sent no e-mail address (Entra: add the optional "
                            "claim 'email' to the ID token)")
        if not _email_verified(claims):
            raise OidcError(f"sign-in failed: the issuer does not vouch for the e-mail address {email}")
        return VerifiedIdentity(email=email, email_verified=True, subject=str(subject), issuer=self.issuer)

    async def _discover(self) -> None:
        """Load the discovery document once and refuse one that names another issuer (OpenID Connect
        Discovery 1.0, section 4.3): a mix-up there would let another issuer's tokens in."""
        try:
            metadata = await self._client.load_server_metadata()
        except Exception as exc:
            raise OidcError(f"the issuer {self.issuer} could not be reached: {_describe(exc)}") from exc
        if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
            raise OidcError(f"the discovery document of {self.issuer} names another issuer: "
                            f"{metadata.get('issuer')!r} (configure the issuer URL exactly as it publishes it)")


def _email_verified(claims: Any) -> bool:
    """Google sends ``email_verified``; Microsoft Entra sends none, but can send ``xms_edov`` ("e-mail domain
    owner verified", an optional claim) saying the address's domain belongs to the tenant."""
    return claims.get("email_verified") in (True, "true") or claims.get("xms_edov") in (True, "1", "true")


def _describe(exc: BaseException) -> str:
    """``Kind: message`` of an exception, for the log and the person signing in."""
    text = str(getattr(exc, "description", None) or exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
