"""Sending through Microsoft Graph's ``sendMail``, for a tenant where SMTP AUTH is off.

The message is the one the .eml drafts hold (``build_message``), sent as MIME:
``POST {graph}/v1.0/users/{mailbox}/sendMail`` with ``Content-Type: text/plain`` and
the MIME base64-encoded as the body; Graph answers 202 Accepted with no body, and
keeps a copy in the mailbox's Sent Items (Microsoft Graph, "user: sendMail").

Graph takes at most 4 MB in one request. A larger message could go as a draft with
its attachment uploaded in an upload session, but that needs Mail.ReadWrite: the
right to read and change every message in the mailbox, which no force should grant to
send a board pack. So a message over the limit is refused before anything is sent,
in one sentence that says what to do instead.
"""

from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import make_msgid
from urllib.parse import quote

from gain_workbook.core.errors import DeliveryError, Hint, MailSettingsError
from gain_workbook.core.text import one_line
from gain_workbook.mail.compose import addresses
from gain_workbook.mail.oauth import (ADMIN, GUIDE, OAuthSettings, lacks_permission,
                                      permission_error)

REQUEST_LIMIT = 4 * 1024 * 1024       # bytes in one Graph request


class GraphTransport:
    """Sends a message through Microsoft Graph as ``cfg.mailbox``."""

    draft = False

    def __init__(self, cfg: OAuthSettings, tokens):
        self.cfg = cfg
        self.tokens = tokens              # oauth.TokenSource for 'graph'
        self.sender = cfg.mailbox

    @property
    def url(self) -> str:
        return f"{self.cfg.graph_url}/v1.0/users/{quote(self.cfg.mailbox, safe='@.')}/sendMail"

    def send(self, msg: EmailMessage) -> str:
        """Send ``msg`` (From, Date and Message-ID set here): what happened, or a typed error."""
        from gain_workbook.mail.transports import _domain, _now

        recipients = [a for h in ("To", "Cc") for a in addresses([msg.get(h, "")], h)]
        del msg["From"]
        msg["From"] = self.cfg.mailbox
        msg["Date"] = _now()
        del msg["Message-ID"]
        msg["Message-ID"] = make_msgid(domain=_domain(self.cfg.mailbox))
        body = base64.b64encode(msg.as_bytes(policy=SMTP_POLICY))
        if len(body) > REQUEST_LIMIT:
            raise MailSettingsError(
                f"The message is {len(body) / 1048576:.1f} MB as Microsoft Graph takes it, "
                "over Graph's 4 MB for one request; nothing was sent. Send it as a draft, or "
                "set 'Send by' to smtp oauth (Exchange Online takes up to 35 MB).")
        token = self.tokens.token()
        response = self._post(body, token)
        if response.status_code == 202:
            return (f"Sent to {', '.join(recipients)} through Microsoft Graph as "
                    f"{self.cfg.mailbox}.")
        raise self._refusal(response, token)

    def _post(self, body: bytes, token: str):
        import requests

        from gain_workbook.mail.oauth import http_session

        c = self.cfg
        try:
            with http_session(c.cafile, c.timeout) as session:
                return session.post(self.url, data=body,
                                    headers={"Authorization": f"Bearer {token}",
                                             "Content-Type": "text/plain"})
        except requests.exceptions.SSLError:
            raise MailSettingsError(f"Microsoft Graph ({c.graph_url}) presented a certificate "
                                    "that is not trusted; nothing was sent. Ask IT for the CA "
                                    "certificate of the force's web proxy.",
                                    hints=[Hint("cafile", " and pass it with {option}")]) \
                from None
        except requests.exceptions.Timeout:
            raise DeliveryError(f"Microsoft Graph ({c.graph_url}) did not answer within "
                                f"{c.timeout:.0f} s; the message may not have been sent. Check "
                                "the mailbox's Sent Items before sending again.") from None
        except requests.exceptions.RequestException:
            raise MailSettingsError(f"Could not reach Microsoft Graph ({c.graph_url}); check "
                                    "this computer's network and proxy; nothing was sent.") \
                from None

    def _refusal(self, response, token: str):
        """Graph's error ({"error": {"code", "message"}}) as one sentence."""
        try:
            error = json.loads(response.text).get("error") or {}
        except ValueError:
            error = {}
        code = str(error.get("code") or "")
        message = one_line(str(error.get("message") or ""))[:200]
        status = response.status_code
        said = f"{status} {code}: {message}" if code else f"HTTP {status}"
        who, app = self.cfg.mailbox, self.cfg.client_id
        if status == 401 or code == "InvalidAuthenticationToken":
            return MailSettingsError(f"Microsoft Graph refused the token ({said}); {ADMIN} "
                                     f"check that the app registration {app} has Mail.Send "
                                     f"with admin consent{GUIDE}; nothing was sent.")
        if status == 403 and (lacks_permission(token, "Mail.Send")
                              or code == "NoPermissionsInAccessToken"):
            return permission_error(self.cfg, "Mail.Send")
        if status == 403 or code in ("ErrorSendAsDenied", "ErrorAccessDenied"):
            return MailSettingsError(f"Microsoft Graph would not let the app send as {who} "
                                     f"({said}): {ADMIN} allow the app registration {app} that "
                                     f"mailbox (its application access policy or RBAC for "
                                     f"Applications{GUIDE}); nothing was sent.")
        if status == 404 or code in ("ErrorInvalidUser", "ResourceNotFound",
                                     "MailboxNotEnabledForRESTAPI"):
            return MailSettingsError(f"Microsoft Graph has no mailbox {who} to send from "
                                     f"({said}): check 'Microsoft 365 mailbox' on the Settings "
                                     "sheet; nothing was sent.")
        if status == 413:
            return MailSettingsError(f"Microsoft Graph refused the message as too large "
                                     f"({said}); nothing was sent. Send it as a draft.")
        if status == 429 or status >= 500:
            return DeliveryError(f"Microsoft Graph could not take the message just now "
                                 f"({said}); nothing was sent. Try again later.")
        return DeliveryError(f"Microsoft Graph refused the message ({said}); nothing was sent.")
