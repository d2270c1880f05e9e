"""OAuth 2.0 tokens for Microsoft 365 mail, from Microsoft Entra ID through MSAL.

Two ways to sign in, chosen by the 'Microsoft 365 sign-in' Setting:

* ``app`` (a scheduled run): the client-credentials flow. The app registration signs in
  as itself with its client secret (``gain-pack secret set client-secret``) or its
  certificate ('Microsoft 365 certificate'), and sends as the one mailbox the
  administrator allowed it. Its application permission is SMTP.SendAsApp (Office 365
  Exchange Online) for SMTP, Mail.Send (Microsoft Graph) for Graph.
* ``device code`` (a person at a desk): the device-code flow, once. The person opens
  the page the message names, types the code and signs in; the token cache is kept
  encrypted (msal-extensions: DPAPI on Windows, the Keychain on macOS, libsecret on
  Linux) so the next run signs in silently. Where none of those is here, the cache is
  kept in a file encrypted with a key from GAIN_TOKEN_CACHE_KEY, or only in memory for
  this run, and a note says so. Its delegated permission is SMTP.Send or Mail.Send.

Entra's refusals become one sentence saying what the force's Microsoft 365
administrator must do (``entra_error``). Microsoft says its AADSTS codes may change, so
each is matched first by its code and then by the OAuth error word, which is standard.
No token or secret is ever put in a message.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import DeliveryError, Hint, MailSettingsError
from gain_workbook.core.text import one_line

LOGIN_URL = "https://login.microsoftonline.com"
GRAPH_URL = "https://graph.microsoft.com"
SMTP_HOST = "smtp.office365.com"
CACHE_KEY_ENV = "GAIN_TOKEN_CACHE_KEY"        # the key of a token cache kept in a file
ADMIN = "the force's Microsoft 365 administrator must"
GUIDE = " (docs/microsoft-365.md)"

# what each service asks Entra for, by sign-in: (scopes, the permission it needs)
SCOPES = {
    ("smtp", "app"): (["https://outlook.office365.com/.default"], "SMTP.SendAsApp"),
    ("smtp", "device code"): (["https://outlook.office.com/SMTP.Send"], "SMTP.Send"),
    ("graph", "app"): ([f"{GRAPH_URL}/.default"], "Mail.Send"),
    ("graph", "device code"): ([f"{GRAPH_URL}/Mail.Send"], "Mail.Send"),
}


@dataclass
class OAuthSettings:
    """Who signs in to Microsoft 365, and as which mailbox."""

    tenant: str
    client_id: str
    mailbox: str                      # the mailbox the message is sent as
    sign_in: str = "app"              # app | device code
    certificate: str = ""             # the app's certificate file (.pem or .pfx), if any
    login_url: str = LOGIN_URL
    graph_url: str = GRAPH_URL
    cafile: str | None = None
    timeout: float = 30.0

    @property
    def authority(self) -> str:
        return f"{self.login_url.rstrip('/')}/{self.tenant}"


def oauth_settings(settings, sender: str | None = None, cafile=None,
                   timeout: float = 30.0) -> OAuthSettings:
    """The Microsoft 365 sign-in from the Settings sheet (sender: the --from address,
    used as the mailbox when 'Microsoft 365 mailbox' is blank), or what is missing."""
    from gain_workbook.mail.compose import header_value

    missing = [label for label, value in (("Microsoft 365 tenant", settings.m365_tenant),
                                          ("Microsoft 365 client id", settings.m365_client_id))
               if not value]
    if missing:
        raise MailSettingsError(f"Sending through Microsoft 365 needs {' and '.join(missing)} "
                                "on the Settings sheet (the force's Microsoft 365 administrator "
                                f"has them from the app registration{GUIDE}).")
    mailbox = settings.m365_mailbox or sender or settings.email_from
    if not mailbox:
        raise MailSettingsError("No mailbox to send as: fill in 'Microsoft 365 mailbox' (or "
                                "'Email from') on the Settings sheet.",
                                hints=[Hint("sender", ", or give {option}")])
    header_value(mailbox, "The Microsoft 365 mailbox")
    for label, url in (("Microsoft 365 sign-in URL", settings.m365_login_url),
                       ("Microsoft Graph URL", settings.m365_graph_url)):
        if not re.fullmatch(r"https://[A-Za-z0-9.:\[\]-]+/?", url or ""):
            raise MailSettingsError(f"'{label}' on the Settings sheet must be an https:// "
                                    f"address with no path (it is '{one_line(url)[:80]}').")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", settings.m365_tenant):
        raise MailSettingsError(f"'Microsoft 365 tenant' must be the tenant's id or domain "
                                f"(it is '{one_line(settings.m365_tenant)[:80]}').")
    return OAuthSettings(tenant=settings.m365_tenant, client_id=settings.m365_client_id,
                         mailbox=mailbox, sign_in=settings.m365_sign_in,
                         certificate=settings.m365_certificate,
                         login_url=settings.m365_login_url.rstrip("/"),
                         graph_url=settings.m365_graph_url.rstrip("/"), cafile=cafile,
                         timeout=timeout)


class TokenSource:
    """Gets the access token for one service ('smtp' or 'graph'), once per run.

    ``secrets`` (secrets.Secrets) gives the client secret when one is needed;
    ``sign_in(message)`` shows a person the device-code instructions (None where
    nobody is there to read them: then only a saved sign-in can be used)."""

    def __init__(self, cfg: OAuthSettings, service: str, secrets, sign_in=None,
                 cache_dir=None):
        self.cfg, self.service, self.secrets, self.sign_in = cfg, service, secrets, sign_in
        self.cache_dir = cache_dir
        self.scopes, self.permission = SCOPES[(service, cfg.sign_in)]
        self._token = None
        self.notes: list = []

    def token(self) -> str:
        if self._token is None:
            try:
                result = self._app_token() if self.cfg.sign_in == "app" else self._user_token()
            except (MailSettingsError, DeliveryError):
                raise
            except Exception as exc:          # requests' network errors, MSAL's ValueError
                raise _network_error(exc, self.cfg) from None
            if "access_token" not in result:
                raise entra_error(result, self.cfg, self.permission)
            self._token = result["access_token"]
        return self._token

    # ---------------------------------------------------------------- the two flows

    def _options(self) -> dict:
        c = self.cfg
        opts = dict(authority=c.authority, http_client=http_session(c.cafile, c.timeout))
        if c.login_url != LOGIN_URL:      # a national cloud, or a test's own endpoint
            opts["instance_discovery"] = False
        return opts

    def _app_token(self) -> dict:
        import msal

        app = msal.ConfidentialClientApplication(self.cfg.client_id,
                                                 client_credential=self._credential(),
                                                 **self._options())
        return app.acquire_token_for_client(scopes=self.scopes)

    def _credential(self):
        """The client secret, or the certificate (as MSAL takes it)."""
        c = self.cfg
        if not c.certificate:
            return self.secrets.get("client-secret", f"The client secret of the app "
                                    f"registration {c.client_id}")
        path = Path(c.certificate)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MailSettingsError(f"The app registration's certificate '{path}' cannot be "
                                    f"read ({exc.strerror or exc}); check 'Microsoft 365 "
                                    "certificate' on the Settings sheet.") from None
        password = None
        if _certificate_is_locked(path, data):
            password = self.secrets.get("certificate-password",
                                        f"The password of the certificate {path.name}")
        if path.suffix.lower() in (".pfx", ".p12"):
            return {"private_key_pfx_path": str(path), "passphrase": password}
        text = data.decode("ascii", errors="replace")
        if "PRIVATE KEY" not in text or "CERTIFICATE" not in text:
            raise MailSettingsError(f"The certificate '{path.name}' must hold the private key "
                                    "and the certificate (PEM), or be a .pfx file.")
        return {"private_key": text, "public_certificate": text, "passphrase": password}

    def _user_token(self) -> dict:
        import msal

        cache, note = token_cache(self.cache_dir)
        if note:
            self.notes.append(note)
        app = msal.PublicClientApplication(self.cfg.client_id, token_cache=cache,
                                           **self._options())
        accounts = app.get_accounts(username=self.cfg.mailbox)
        if accounts:
            result = app.acquire_token_silent_with_error(self.scopes, account=accounts[0])
            if result and "access_token" in result:
                return result
            if self.sign_in is None and result:
                return result                 # the saved sign-in was refused: say why
        if self.sign_in is None:
            raise MailSettingsError(f"Microsoft 365 needs {self.cfg.mailbox} to sign in once, "
                                    "at a terminal (the device code is shown there); run "
                                    "the same command there, then the scheduled runs use the "
                                    "saved sign-in.")
        flow = app.initiate_device_flow(scopes=self.scopes)
        if "user_code" not in flow:
            return flow                       # Entra's error, said by entra_error
        self.sign_in(f"{flow.get('message') or 'Sign in at ' + flow['verification_uri']} "
                     f"Sign in as {self.cfg.mailbox}.")
        return app.acquire_token_by_device_flow(flow)


def http_session(cafile=None, timeout: float = 30.0):
    """A requests session that trusts the system's CAs and ``cafile`` too (a force's web
    proxy), as the SMTP transport does, whatever REQUESTS_CA_BUNDLE says (requests would
    otherwise let that variable replace a session's own ``verify``); every request has
    ``timeout``."""
    import ssl

    import requests
    from requests.adapters import HTTPAdapter

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            context = ssl.create_default_context()
            if cafile:
                context.load_verify_locations(cafile=str(cafile))
            kwargs["ssl_context"] = context
            return super().init_poolmanager(*args, **kwargs)

    class Session(requests.Session):
        def request(self, *args, **kwargs):
            kwargs.setdefault("timeout", timeout)
            return super().request(*args, **kwargs)

    session = Session()
    session.mount("https://", Adapter(max_retries=1))
    return session


def claims(token: str) -> dict:
    """What an access token says of itself (roles, scp), for explaining a refusal; {}
    when it is not a readable JWT (Microsoft may encrypt or change them)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}


def lacks_permission(token: str, permission: str) -> bool:
    """True when the token can be read and grants no ``permission`` (app roles or
    delegated scopes)."""
    said = claims(token)
    if not said or ("roles" not in said and "scp" not in said):
        return False
    granted = set(said.get("roles") or ()) | set(str(said.get("scp") or "").split())
    return permission not in granted


def permission_error(cfg: OAuthSettings, permission: str) -> MailSettingsError:
    """The app's token has no ``permission``: what the administrator must add."""
    api = "Microsoft Graph" if permission == "Mail.Send" else "Office 365 Exchange Online"
    kind = "application" if cfg.sign_in == "app" else "delegated"
    return MailSettingsError(f"The app registration {cfg.client_id} does not have the "
                             f"{permission} permission: {ADMIN} add it ({api}, {kind} "
                             f"permission) and grant admin consent{GUIDE}; nothing was sent.")


# ---------------------------------------------------------------- Entra's refusals

def entra_error(result: dict, cfg: OAuthSettings, permission: str):
    """One sentence for Entra's error response (``error``, ``error_description`` with its
    AADSTS code), saying who must do what; nothing was sent."""
    error = str(result.get("error") or "")
    description = str(result.get("error_description") or "")
    code = _aadsts_code(result, description)
    tag = f"AADSTS{code}" if code else (error or "no error code")
    fixes = _fixes_by_code(cfg, permission)
    fix = fixes.get(code) or _fixes_by_word(fixes, cfg).get(error)
    if error == "temporarily_unavailable" or (code and 500 <= code < 600 and not fix):
        return DeliveryError(f"Microsoft Entra ID is not answering properly just now ({tag}); "
                             "nothing was sent. Try again later.")
    if fix is None:
        first = one_line(description.split("\r\n")[0].split("\n")[0])[:200]
        fix = f"{first or error}; {ADMIN} look the code up{GUIDE}"
    return MailSettingsError(f"Microsoft Entra ID refused the sign-in ({tag}): {fix}; "
                             "nothing was sent.")


def _aadsts_code(result: dict, description: str) -> int | None:
    """The first AADSTS code Entra gave, in ``error_codes`` or in the description."""
    codes = [int(c) for c in result.get("error_codes") or () if str(c).isdigit()]
    codes += [int(c) for c in re.findall(r"AADSTS(\d+)", description)]
    return codes[0] if codes else None


def _fixes_by_code(cfg: OAuthSettings, permission: str) -> dict[int, str]:
    """What must be done, and by whom, for each AADSTS code the office may meet."""
    app, who = cfg.client_id, cfg.mailbox
    return {
        7000222: f"the client secret of the app registration {app} has expired: {ADMIN} "
                 "make a new one (Certificates & secrets), and you store it with "
                 "`gain-pack secret set client-secret`",
        7000215: f"the client secret is not the app registration's ({app}): store the "
                 "current one with `gain-pack secret set client-secret`, or ask the force's "
                 "Microsoft 365 administrator for a new one",
        700027: f"the certificate is not one the app registration {app} knows: {ADMIN} "
                "upload it to the app registration (Certificates & secrets)",
        700016: f"there is no app registration {app} in the tenant {cfg.tenant}: check "
                "'Microsoft 365 client id' and 'Microsoft 365 tenant' with the force's "
                "Microsoft 365 administrator",
        90002: f"there is no Microsoft 365 tenant '{cfg.tenant}': check 'Microsoft 365 "
               "tenant' on the Settings sheet",
        65001: f"the app registration {app} has not been given consent for {permission}: "
               f"{ADMIN} grant admin consent for it (API permissions){GUIDE}",
        65004: f"{who} declined the consent the app asked for: {ADMIN} grant admin consent "
               f"for {permission}{GUIDE}",
        50173: f"the saved Microsoft 365 sign-in of {who} was revoked (a password change, or "
               "an administrator): sign in again at a terminal; if it is refused again, "
               f"{ADMIN} restore the app's consent",
        700082: f"the saved Microsoft 365 sign-in of {who} expired unused: sign in again at a "
                "terminal",
        70043: f"the saved Microsoft 365 sign-in of {who} expired under the force's sign-in "
               "policy: sign in again at a terminal",
        7000218: f"the app registration {app} does not allow a person's sign-in by device "
                 f"code: {ADMIN} turn on 'Allow public client flows' (Authentication)",
        7000112: f"the app registration {app} is disabled: {ADMIN} enable it",
        50105: f"{who} is not assigned to the app: {ADMIN} assign them to it (Enterprise "
               "applications, Users and groups)",
        53003: f"the force's Conditional Access policy blocked the sign-in: {ADMIN} allow "
               "this app from this computer",
        500011: f"the tenant {cfg.tenant} has no Exchange Online service for the app to "
                f"reach: {ADMIN} check that Exchange Online is licensed there",
        70011: f"Entra ID refused the permission asked for ({permission}): {ADMIN} check the "
               f"app registration's API permissions{GUIDE}",
        70020: "the device code expired before the sign-in was finished: run the command "
               "again and sign in within the time shown",
        70000: f"the saved Microsoft 365 sign-in of {who} is no longer valid: sign in again "
               "at a terminal",
    }


def _fixes_by_word(fixes: dict[int, str], cfg: OAuthSettings) -> dict[str, str]:
    """What must be done for an OAuth ``error`` word, when Entra gave no code known in
    ``fixes``."""
    app, who = cfg.client_id, cfg.mailbox
    return {
        "invalid_client": fixes[7000215],
        "unauthorized_client": f"the app registration {app} may not sign in this way: {ADMIN} "
                               f"check it{GUIDE}",
        "consent_required": fixes[65001],
        "interaction_required": f"the force's sign-in policy wants {who} to sign in again at "
                                "a terminal",
        "invalid_grant": fixes[70000],
        "invalid_scope": fixes[70011],
        "expired_token": fixes[70020],
        "authorization_declined": f"{who} declined the sign-in: run the command again and "
                                  "accept it",
        "access_denied": f"{who} declined the sign-in: run the command again and accept it",
    }


def _network_error(exc: Exception, cfg: OAuthSettings):
    """Reaching Entra failed: a certificate, the network, or the tenant's address."""
    name = type(exc).__name__
    where = cfg.login_url
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or name == "SSLError":
        return MailSettingsError(f"The Microsoft sign-in service {where} presented a "
                                 "certificate that is not trusted; nothing was sent. Ask IT "
                                 "for the CA certificate of the force's web proxy.",
                                 hints=[Hint("cafile", " and pass it with {option}")])
    if name in ("Timeout", "ReadTimeout", "ConnectTimeout"):
        return DeliveryError(f"The Microsoft sign-in service {where} did not answer within "
                             f"{cfg.timeout:.0f} s; nothing was sent. Try again later.")
    if name in ("ConnectionError", "ProxyError"):
        return MailSettingsError(f"Could not reach the Microsoft sign-in service {where}; "
                                 "check this computer's network and proxy; nothing was sent.")
    if "OIDC Discovery failed" in text or "Unable to get authority configuration" in text:
        return MailSettingsError(f"The Microsoft 365 tenant '{cfg.tenant}' was not found at "
                                 f"{where}: check 'Microsoft 365 tenant' on the Settings "
                                 "sheet; nothing was sent.")
    if cfg.certificate:
        return MailSettingsError(f"The certificate '{Path(cfg.certificate).name}' could not "
                                 f"be used ({name}: a wrong password, not an RSA key, which "
                                 "Entra ID needs, or not a certificate with its private "
                                 "key); nothing was sent.")
    raise exc


def _certificate_is_locked(path: Path, data: bytes) -> bool:
    """A certificate file whose private key needs a password."""
    if path.suffix.lower() in (".pfx", ".p12"):
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            pkcs12.load_key_and_certificates(data, None)
            return False
        except (ValueError, TypeError):
            return True
    return b"ENCRYPTED" in data


# ---------------------------------------------------------------- the token cache

def cache_folder() -> Path:
    """Where this computer user's Microsoft 365 sign-in is kept (encrypted)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gain-pack"


def token_cache(folder=None):
    """(the token cache, a note or ''): encrypted by the system (msal-extensions), else
    in a file encrypted with GAIN_TOKEN_CACHE_KEY, else in memory for this run only.
    Never a plain-text file."""
    import msal

    folder = Path(folder) if folder else cache_folder()
    try:
        from msal_extensions import PersistedTokenCache, build_encrypted_persistence

        persistence = build_encrypted_persistence(str(folder / "msal-token-cache.bin"))
        return PersistedTokenCache(persistence), ""
    except Exception as exc:             # no libsecret / D-Bus session here, and the like
        reason = f"{type(exc).__name__}"
    key = os.environ.get(CACHE_KEY_ENV, "")
    if key:
        from msal_extensions import PersistedTokenCache

        return PersistedTokenCache(KeyedFilePersistence(folder / "msal-token-cache.enc",
                                                        key)), ""
    return msal.SerializableTokenCache(), (
        f"there is no system keychain here to keep the Microsoft 365 sign-in ({reason}), so "
        f"it is kept only for this run; set {CACHE_KEY_ENV} to a long random key to keep it "
        "in a file encrypted with that key.")


def _persistence_base():
    from msal_extensions.persistence import FilePersistence

    return FilePersistence


class KeyedFilePersistence(_persistence_base()):
    """msal-extensions' file persistence, encrypted with a key from the environment
    (Fernet: AES-128-CBC with HMAC-SHA256; the key stretched with scrypt and a salt kept
    at the start of the file)."""

    is_encrypted = True
    MAGIC = b"gain-pack token cache 1\n"

    def __init__(self, location, key: str):
        super().__init__(str(location))
        self._key = key.encode()

    def _fernet(self, salt: bytes):
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        raw = Scrypt(salt=salt, length=32, n=2 ** 14, r=8, p=1).derive(self._key)
        return Fernet(base64.urlsafe_b64encode(raw))

    def save(self, content: str) -> None:
        from gain_workbook.core.files import write_bytes

        salt = os.urandom(16)
        data = self.MAGIC + base64.b64encode(salt) + b"\n" + \
            self._fernet(salt).encrypt(content.encode("utf-8"))
        write_bytes(self.get_location(), data)
        os.chmod(self.get_location(), 0o600)

    def load(self) -> str:
        from cryptography.fernet import InvalidToken

        from msal_extensions.persistence import PersistenceNotFound

        try:
            data = Path(self.get_location()).read_bytes()
        except FileNotFoundError:
            raise PersistenceNotFound(location=self.get_location()) from None
        if not data.startswith(self.MAGIC):
            return "{}"
        salt, _, token = data[len(self.MAGIC):].partition(b"\n")
        try:
            return self._fernet(base64.b64decode(salt)).decrypt(token).decode("utf-8")
        except (InvalidToken, ValueError):
            return "{}"          # another key: start again (a new sign-in replaces it)
