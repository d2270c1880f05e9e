"""Microsoft 365 on 127.0.0.1, for the tests: Entra ID's token endpoint, Microsoft Graph's
sendMail and Exchange Online's SMTP AUTH with XOAUTH2, each answering as Microsoft
documents it. The real services cannot be reached here; docs/microsoft-365.md says the
first real run must be checked against the force's own tenant.

Sources of the bodies and replies below (quoted where they are used):

* Entra ID (v2.0 endpoints): https://learn.microsoft.com/en-us/entra/identity-platform/
  v2-oauth2-client-creds-grant-flow (client credentials), v2-oauth2-device-code (device
  code), reference-error-codes (the error body and the AADSTS codes),
  v2-protocols-oidc (the OpenID configuration document MSAL reads first).
* Microsoft Graph: https://learn.microsoft.com/en-us/graph/api/user-sendmail ("POST
  /users/{id | userPrincipalName}/sendMail", "Content-Type: text/plain for MIME
  content", "provide the MIME content as a base64-encoded string in the request body",
  "If successful, this method returns 202 Accepted"), and /graph/errors (the error body).
* Exchange Online: https://learn.microsoft.com/en-us/exchange/client-developer/
  legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
  (SASL XOAUTH2: base64("user=" + userName + "^Aauth=Bearer " + accessToken + "^A^A"));
  Google's XOAUTH2 protocol page for the error challenge (a 334 holding base64 JSON,
  answered with an empty line, then 535).
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TENANT = "contoso.onmicrosoft.com"
CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e"     # Microsoft's own example id
CLIENT_SECRET = "sEcReT~Client.Value-0123456789abcdef"
MAILBOX = "gain@force.example"


def _b64url(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def jwt(claims: dict) -> str:
    """A token shaped as Entra's are (header.payload.signature); never checked for a
    signature by its client, which only reads it."""
    return ".".join([_b64url({"typ": "JWT", "alg": "RS256", "kid": "test"}), _b64url(claims),
                     "c2lnbmF0dXJl"])


def entra_error(error: str, code: int, text: str, status: int = 400) -> tuple[int, dict]:
    """An error as Entra's token endpoint sends it (reference-error-codes, 'Here's a
    sample error response': error, error_description with the AADSTS code, Trace ID,
    Correlation ID and Timestamp, error_codes, timestamp, trace_id, correlation_id)."""
    return status, {
        "error": error,
        "error_description": f"AADSTS{code}: {text}\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-"
                             "eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-"
                             "444444dddddd\r\nTimestamp: 2026-12-01 02:02:12Z",
        "error_codes": [code], "timestamp": "2026-12-01 02:02:12Z",
        "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
        "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd"}


# The errors of reference-error-codes that gain-pack explains (the text as the table
# gives it, after the code's name).
ERRORS = {
    7000215: ("invalid_client", "Invalid client secret provided. Ensure the secret being sent "
              "in the request is the client secret value, not the client secret ID, for a "
              f"secret added to app '{CLIENT_ID}'.", 401),
    7000222: ("invalid_client", "The provided client secret keys for app "
              f"'{CLIENT_ID}' are expired. Visit the Azure portal to create new keys for your "
              "app.", 401),
    65001: ("invalid_grant", "The user or administrator has not consented to use the "
            f"application with ID '{CLIENT_ID}'. Send an interactive authorization request "
            "for this user and resource.", 400),
    700016: ("unauthorized_client", f"Application with identifier '{CLIENT_ID}' was not "
             f"found in the directory '{TENANT}'.", 400),
    700082: ("invalid_grant", "The refresh token has expired due to inactivity. The token "
             "was issued on 2026-06-01T00:00:00Z and was inactive for 90.00:00:00.", 400),
    50173: ("invalid_grant", "The provided grant has expired due to it being revoked, a "
            "fresh auth token is needed.", 400),
    7000218: ("invalid_client", "The request body must contain the following parameter: "
              "'client_assertion' or 'client_secret'.", 401),
    9999999: ("server_error", "A new code Microsoft has added since this was written.", 400),
}


def error_for(code: int) -> tuple[int, dict]:
    """Entra's answer carrying one of ERRORS."""
    error, text, status = ERRORS[code]
    return entra_error(error, code, text, status)


class Microsoft365:
    """One HTTPS server on 127.0.0.1 that is both Entra ID (``/TENANT/...``) and Graph
    (``/v1.0/...``). ``requests`` lists what came in (method, path, headers, body);
    ``answers`` sets what the token endpoint says next, per grant type."""

    def __init__(self, cert, key):
        self.requests: list[dict] = []
        self.answers: dict[str, list] = {}    # grant type -> [(status, body), ...]
        self.roles = ["SMTP.SendAsApp", "Mail.Send"]
        self.scp = "SMTP.Send Mail.Send"
        self.issued: list[str] = []           # every access token given out
        self.refresh_tokens: list[str] = []
        self.graph_answer = (202, None)
        self.device_scope = ""
        self.received: list[bytes] = []       # MIME that Graph accepted
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):      # quiet
                pass

            def _reply(self, status, body=None):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                outer.requests.append({"method": "GET", "path": self.path,
                                       "headers": dict(self.headers), "body": b""})
                self._reply(*outer.get(self.path))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                outer.requests.append({"method": "POST", "path": self.path,
                                       "headers": dict(self.headers), "body": body})
                self._reply(*outer.post(self.path, dict(self.headers), body))

        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(cert), str(key))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # ---------------------------------------------------------------- Entra ID

    @property
    def issuer(self) -> str:
        return f"{self.url}/{TENANT}/v2.0"

    def get(self, path: str):
        """The OpenID configuration MSAL reads first (v2-protocols-oidc: issuer,
        authorization_endpoint, token_endpoint, device_authorization_endpoint ...); a
        tenant that does not exist is 400, as login.microsoftonline.com answers it."""
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            base = f"{self.url}/{TENANT}/oauth2/v2.0"
            return 200, {"issuer": self.issuer, "token_endpoint": f"{base}/token",
                         "authorization_endpoint": f"{base}/authorize",
                         "device_authorization_endpoint": f"{base}/devicecode",
                         "token_endpoint_auth_methods_supported": [
                             "client_secret_post", "private_key_jwt", "client_secret_basic"],
                         "response_modes_supported": ["query", "fragment", "form_post"],
                         "tenant_region_scope": "EU"}
        return entra_error("invalid_tenant", 90002, "Tenant 'nowhere.example' not found. "
                           "Check to make sure you have the correct tenant ID and are signing "
                           "into the correct cloud.")

    def post(self, path: str, headers: dict, body: bytes):
        if path.startswith("/v1.0/"):
            return self.graph(path, headers, body)
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if path.endswith("/devicecode"):
            self.device_scope = " ".join(x for x in form.get("scope", "").split()
                                         if x not in ("openid", "profile", "offline_access"))
            # v2-oauth2-device-code, "Device authorization response"
            return 200, {"user_code": "GAINPACK1", "device_code": "device-code-xyz",
                         "verification_uri": "https://microsoft.com/devicelogin",
                         "expires_in": 900, "interval": 1,
                         "message": "To sign in, use a web browser to open the page "
                                    "https://microsoft.com/devicelogin and enter the code "
                                    "GAINPACK1 to authenticate."}
        grant = form.get("grant_type", "")
        queued = self.answers.get(grant) or []
        if queued:
            return queued.pop(0)
        if grant == "client_credentials":
            if form.get("client_secret") != CLIENT_SECRET and "client_assertion" not in form:
                return error_for(7000215)
            # v2-oauth2-client-creds-grant-flow, "Successful response example"
            return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                         "access_token": self.access_token(form, roles=self.roles)}
        if grant in ("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"):
            # v2-oauth2-device-code, "Successful authentication response"
            refresh = f"refresh-{len(self.refresh_tokens)}-0.AXkA-secret-refresh"
            self.refresh_tokens.append(refresh)
            return 200, {"token_type": "Bearer",
                         "scope": form.get("scope") or self.device_scope,
                         "expires_in": 3599, "ext_expires_in": 3599,
                         "access_token": self.access_token(form, scp=self.scp),
                         "refresh_token": refresh, "id_token": self.id_token(),
                         "client_info": _b64url({"uid": "00000000-0000-0000-66f3-3332eca7ea81",
                                                 "utid": "9188040d-6c67-4c5b-b112-36a304b66dad"})}
        return entra_error("unsupported_grant_type", 70003, "The app requested an unsupported "
                           "grant type.")

    def access_token(self, form: dict, roles=None, scp=None) -> str:
        now = int(time.time())
        claims = {"aud": "https://outlook.office365.com" if "outlook" in form.get("scope", "")
                  else "https://graph.microsoft.com", "iss": self.issuer, "iat": now,
                  "nbf": now, "exp": now + 3599, "appid": CLIENT_ID, "tid": "9188040d",
                  "n": len(self.issued)}
        if roles is not None:
            claims["roles"] = list(roles)
        if scp is not None:
            claims["scp"] = scp
        token = jwt(claims)
        self.issued.append(token)
        return token

    def id_token(self) -> str:
        now = int(time.time())
        return jwt({"aud": CLIENT_ID, "iss": self.issuer, "iat": now, "nbf": now,
                    "exp": now + 3600, "name": "GAIN secretariat", "oid":
                    "00000000-0000-0000-66f3-3332eca7ea81", "preferred_username": MAILBOX,
                    "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
                    "tid": "9188040d-6c67-4c5b-b112-36a304b66dad", "ver": "2.0"})

    def token_requests(self) -> list[dict]:
        return [dict(urllib.parse.parse_qsl(r["body"].decode())) for r in self.requests
                if r["path"].endswith("/oauth2/v2.0/token")]

    # ---------------------------------------------------------------- Graph

    def graph(self, path: str, headers: dict, body: bytes):
        """sendMail as user-sendmail documents it: the MIME base64 in a text/plain body;
        202 Accepted with no body. Anything else is Graph's 400 for malformed MIME."""
        if not path.endswith("/sendMail"):
            return 404, {"error": {"code": "ResourceNotFound", "message": "Resource not found"}}
        status, answer = self.graph_answer
        if status != 202:
            return status, answer
        if headers.get("Content-Type", "").split(";")[0] != "text/plain":
            return 415, {"error": {"code": "UnsupportedMediaType",
                                   "message": "Content type not supported"}}
        try:
            self.received.append(base64.b64decode(body, validate=True))
        except ValueError:
            return 400, {"error": {"code": "ErrorMimeContentInvalidBase64String",
                                   "message": "Invalid base64 string for MIME content."}}
        return 202, None


# ---------------------------------------------------------------- Exchange's SMTP AUTH

def xoauth2_handler(inbox_class, m365: Microsoft365, refuse: bool = False):
    """An aiosmtpd handler class that also takes AUTH XOAUTH2: the initial response is
    base64 of 'user=MAILBOX^Aauth=Bearer TOKEN^A^A', checked against the tokens the local
    Entra gave out. A refused token gets the error challenge (334 + base64 JSON), then
    '535 5.7.3 Authentication unsuccessful' as Exchange Online answers."""
    from aiosmtpd.smtp import AuthResult

    class Handler(inbox_class):
        def __init__(self):
            super().__init__()
            self.logins: list[tuple[str, str]] = []

        async def auth_XOAUTH2(self, server, args):
            blob = base64.b64decode(args[1]) if len(args) > 1 else \
                await server.challenge_auth("")
            fields = dict(part.split("=", 1) for part in blob.decode().split("\x01") if part)
            user, token = fields.get("user", ""), fields.get("auth", "")[len("Bearer "):]
            self.logins.append((user, token))
            if refuse or token not in m365.issued or user != MAILBOX:
                await server.challenge_auth(json.dumps(
                    {"status": "401", "schemes": "bearer", "scope": "SMTP.Send"}))
                return AuthResult(success=False, handled=False,
                                  message="535 5.7.3 Authentication unsuccessful "
                                          "[LO4P123CA0001.GBRP123.PROD.OUTLOOK.COM]")
            return AuthResult(success=True, auth_data=user)

    return Handler
