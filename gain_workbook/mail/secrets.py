"""Where a secret comes from: the system's keychain, then an environment variable, then
a hidden prompt; and storing one in the keychain (``gain-pack secret set``).

The keychain is reached through ``keyring``: Windows Credential Manager, the macOS
Keychain, or the Secret Service of a Linux desktop session. Each secret is kept under
the service name ``gain-pack`` with the secret's name (``smtp-password``) as the user
name. A keychain that is not there (a headless server, a cron job with no session) is
said plainly, and never replaced by a file: a keyring backend that keeps secrets in a
plain-text file (keyrings.alt's PlaintextKeyring) is refused like a missing one.

No secret is ever put in a message, a note, a log line or an exception: the sentences
here name the secret ('the SMTP password'), never its value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from gain_workbook.core.errors import MailSettingsError

SERVICE = "gain-pack"      # the keychain's service name for every secret of gain-pack


@dataclass(frozen=True)
class Secret:
    """One kind of secret: its name (as ``gain-pack secret set`` takes it), the
    environment variable that may hold it, and what it is, in words."""

    name: str
    env: str
    what: str


SECRETS = {s.name: s for s in (
    Secret("smtp-password", "GAIN_SMTP_PASSWORD",
           "the password of the SMTP login (for a server that still takes one)"),
    Secret("client-secret", "GAIN_CLIENT_SECRET",
           "the client secret of the Microsoft 365 app registration"),
    Secret("certificate-password", "GAIN_CERTIFICATE_PASSWORD",
           "the password of the app registration's certificate file, if it has one"),
    Secret("attachment-password", "GAIN_ATTACHMENT_PASSWORD",
           "the password put on an encrypted attachment"),
)}


def secret_kind(name: str) -> Secret:
    """The secret called ``name``, or a sentence listing the names there are."""
    try:
        return SECRETS[name]
    except KeyError:
        raise MailSettingsError(f"There is no secret called '{name}'; the secrets are "
                                f"{', '.join(SECRETS)}.") from None


def _plaintext(backend) -> bool:
    """A keyring backend that keeps secrets in a plain-text file."""
    name = type(backend).__name__.lower()
    return "plaintext" in name or getattr(backend, "scheme", "") == "no encyption"


@dataclass
class Keychain:
    """The system's keychain as ``keyring`` finds it, or why there is none (``missing``)."""

    backend: object = None
    missing: str = ""

    @property
    def name(self) -> str:
        b = self.backend
        return getattr(b, "name", "") or type(b).__name__ if b is not None else ""

    def get(self, name: str) -> str | None:
        """The stored secret, or None; a keychain that fails here is taken as missing."""
        if self.backend is None:
            return None
        try:
            return self.backend.get_password(SERVICE, name) or None
        except Exception as exc:        # keyring.errors.KeyringError, a locked D-Bus ...
            self.missing = f"the system keychain could not be read ({type(exc).__name__})"
            self.backend = None
            return None

    def set(self, name: str, value: str) -> None:
        self._need()
        try:
            self.backend.set_password(SERVICE, name, value)
        except Exception as exc:
            raise MailSettingsError(f"The system keychain ({self.name}) did not store "
                                    f"{SECRETS[name].what} ({type(exc).__name__}); nothing "
                                    "was stored.") from None

    def delete(self, name: str) -> bool:
        """Remove a stored secret: True if there was one."""
        self._need()
        if self.get(name) is None:
            return False
        try:
            self.backend.delete_password(SERVICE, name)
        except Exception as exc:
            raise MailSettingsError(f"The system keychain ({self.name}) did not remove "
                                    f"{SECRETS[name].what} ({type(exc).__name__}).") from None
        return True

    def _need(self) -> None:
        if self.backend is None:
            raise MailSettingsError(f"There is no system keychain here: {self.missing}. "
                                    "Nothing was stored; use the environment variable "
                                    "instead, set only for the job that needs it.")


def keychain() -> Keychain:
    """The keychain ``keyring`` would use, unless it is none or keeps plain text."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception as exc:            # a broken keyring configuration
        return Keychain(None, f"the keyring library could not start ({type(exc).__name__})")
    candidates = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) \
        else [backend]
    usable = [b for b in candidates if not isinstance(b, fail.Keyring) and not _plaintext(b)
              and type(b).__module__ != "keyring.backends.null"]
    if usable:
        return Keychain(usable[0])
    if any(_plaintext(b) for b in candidates):
        return Keychain(None, "the only keyring here keeps secrets in a plain-text file, "
                              "which gain-pack does not use")
    return Keychain(None, "no Windows Credential Manager, macOS Keychain or Secret Service "
                          "for this session (a server or a scheduled job with no desktop "
                          "session has none)")


@dataclass
class Secrets:
    """The secrets of one run, each looked up once it is needed: ``given`` (a value, or a
    function called with what is asked for), else the keychain, else the environment
    variable, else ``ask(what, confirm)`` (a hidden prompt; None where nobody can type).
    ``notes`` says where a secret came from when there was no keychain."""

    given: dict = field(default_factory=dict)
    ask: object = None
    environ: object = None
    notes: list = field(default_factory=list)
    _keychain: Keychain | None = None

    @property
    def keychain(self) -> Keychain:
        if self._keychain is None:
            self._keychain = keychain()
        return self._keychain

    def get(self, name: str, what: str, confirm: bool = False) -> str:
        """The secret ``name``; ``what`` says which one in a prompt or an error
        ('The password for clerk on mail.force.police.uk')."""
        kind = SECRETS[name]
        value = self.given.get(name)
        if callable(value):
            value = value(what)
        if value:
            return value
        value = self.keychain.get(name)
        if value:
            return value
        env = (self.environ if self.environ is not None else os.environ).get(kind.env)
        missing = self.keychain.missing
        if env:
            if missing:
                self._note(f"there is no system keychain here ({missing}); {kind.what} "
                           f"came from the environment variable {kind.env}.")
            return env
        if self.ask is not None:
            value = self.ask(what, confirm)
            if value:
                return value
        where = (f"there is no system keychain here ({missing}), so set the environment "
                 f"variable {kind.env}" if missing else
                 f"store it with `gain-pack secret set {name}`, or set the environment "
                 f"variable {kind.env}")
        raise MailSettingsError(f"{what} is needed: {where} (or run where you can type it).")

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
