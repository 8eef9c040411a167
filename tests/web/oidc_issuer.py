"""A stand-in OpenID Connect issuer for tests: the part of Google's or Entra's sign-in that the web app talks to,
small enough to read, served on 127.0.0.1 by ``live_server``.

``/authorize`` approves at once as the configured person (no login page), honouring ``redirect_uri``,
``state``, ``nonce`` and a PKCE ``code_challenge`` (S256 only, and required); ``/token`` checks the client
secret, the code (good once, for the same redirect URI) and the PKCE verifier, and answers with an RS256 ID token
signed with a key published at ``/jwks``. A test breaks one thing at a time through :class:`Tweaks` (another
audience or issuer in the token, an expired token, a payload changed after signing, a discovery document that
names another issuer) to see the web app refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route


@dataclass
class StandInUser:
    """Who the stand-in signs in as."""

    email: str = "ada.teacher@school.example"
    email_verified: bool | None = True  # None: no such claim (as Microsoft Entra)
    sub: str = "stand-in-0001"
    extra_claims: dict[str, Any] = field(default_factory=dict)  # e.g. Entra's {"xms_edov": True}


@dataclass
class Tweaks:
    """One thing wrong at a time; all None/False is a well-behaved issuer."""

    audience: str | None = None          # the ID token's aud instead of the client id
    authorized_party: str | None = None  # an azp claim in the ID token
    token_issuer: str | None = None      # the ID token's iss instead of this issuer's URL
    discovery_issuer: str | None = None  # the issuer the discovery document names
    expires_in: int = 300                # seconds until the ID token expires (negative: already expired)
    tamper_email: str | None = None      # change the e-mail in the signed token afterwards (breaks the signature)


@dataclass
class StandInIssuer:
    """The issuer's state: its client, its user, its key, the codes it gave out. ``app`` serves it."""

    client_id: str = "adaptive-web"
    client_secret: str = "s3cret-for-tests"
    user: StandInUser = field(default_factory=StandInUser)
    tweaks: Tweaks = field(default_factory=Tweaks)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "stand-in-1"},
                                                                   private=True))
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens_issued: int = 0

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
            Route("/jwks", self.jwks),
        ])

    async def discovery(self, request: Request) -> Response:
        base = _base(request)
        return JSONResponse({
            "issuer": self.tweaks.discovery_issuer or base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        })

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [{**self.key.as_dict(private=False), "use": "sig", "alg": "RS256"}]})

    async def authorize(self, request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return JSONResponse({"error": "invalid_request", "error_description": "PKCE S256 required"}, 400)
        if "openid" not in q.get("scope", "").split() or not q.get("redirect_uri"):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": q["redirect_uri"], "nonce": q.get("nonce", ""),
                            "challenge": q["code_challenge"]}
        back = urlsplit(q["redirect_uri"])
        query = "&".join(p for p in (back.query, urlencode({"code": code, "state": q.get("state", "")})) if p)
        return RedirectResponse(urlunsplit(back._replace(query=query)), status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        client_id, secret = _client_credentials(request, form)
        if client_id != self.client_id or not hmac.compare_digest(secret.encode(), self.client_secret.encode()):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.codes.pop(str(form.get("code", "")), None)  # a code is good once
        if form.get("grant_type") != "authorization_code" or grant is None \
                or form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not hmac.compare_digest(challenge, grant["challenge"]):
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE verifier"}, 400)
        self.tokens_issued += 1
        return JSONResponse({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                             "expires_in": 3600, "scope": "openid email profile",
                             "id_token": self.id_token(_base(request), grant["nonce"])})

    def id_token(self, issuer: str, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.tweaks.token_issuer or issuer, "aud": self.tweaks.audience or self.client_id,
            "sub": self.user.sub, "iat": now, "exp": now + self.tweaks.expires_in, "nonce": nonce,
            "email": self.user.email, "email_verified": self.user.email_verified,
        }
        if self.user.email_verified is None:
            del claims["email_verified"]
        claims.update(self.user.extra_claims)
        if self.tweaks.authorized_party:
            claims["azp"] = self.tweaks.authorized_party
        token = jwt.encode({"alg": "RS256", "kid": "stand-in-1"}, claims, self.key)
        if self.tweaks.tamper_email:
            header, _, signature = token.split(".")
            payload = json.dumps({**claims, "email": self.tweaks.tamper_email}).encode()
            token = ".".join([header, base64.urlsafe_b64encode(payload).rstrip(b"=").decode(), signature])
        return token


def _base(request: Request) -> str:
    """This issuer's URL as the client reached it (``http://127.0.0.1:PORT``)."""
    return str(request.base_url).rstrip("/")


def _client_credentials(request: Request, form: Any) -> tuple[str, str]:
    """Client id and secret from HTTP Basic (client_secret_basic) or the form (client_secret_post)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return unquote(client_id), unquote(secret)
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))
