"""The month's update requests as a folder: where it is, and its requests.json, which says
what was asked of whom (requests writes it; build reads it to list who has not replied).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gain_workbook.core.errors import InputError

REQUESTS_MANIFEST = "requests.json"


def requests_folder(register, as_of: dt.date) -> Path:
    """'Update requests 2026-12' beside the register: where requests writes by default,
    and where build looks for the month's requests."""
    return Path(register).parent / f"Update requests {as_of:%Y-%m}"


def manifest_text(requests: list, workbooks: list, register_name: str, day: dt.date,
                  reply_by: dt.date, sent: bool, kept: list = ()) -> str:
    """requests.json: each owner's request, its workbook and the actions asked about;
    ``kept``: entries of owners asked earlier this month and not now (kept_requests)."""
    new = [{"owner": r.owner, "request": r.request_id, "file": b.name,
            "email": r.email or None, "copied": list(r.copy),
            "actions": [a.action_id for a in r.actions]}
           for r, b in zip(requests, workbooks)]
    return json.dumps({
        "format": 1, "register": register_name, "as_of": day.isoformat(),
        "reply_by": reply_by.isoformat(), "sent": sent,
        "requests": sorted([*new, *kept], key=lambda e: str(e.get("owner")))},
        indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def kept_requests(path, register_name: str, day: dt.date, asked: list,
                  notes: list) -> list:
    """The entries of the month's requests.json at ``path`` for owners not in ``asked``
    (requests for some owners only must not forget the others asked this month, nor
    whose reply is awaited), each with its own as_of and reply_by (this run's are the
    manifest's). [] when there is none, or it is another register's or month's; ``notes``
    gets why one that is there cannot be kept."""
    from gain_workbook.check.validate import owner_key

    manifest, why = read_manifest(path)
    if why:
        notes.append(f"{REQUESTS_MANIFEST} in '{Path(path).parent}' {why}, so it now lists "
                     "only the owners asked this time")
    if manifest is None or manifest.get("register") != register_name \
            or str(manifest.get("as_of", ""))[:7] != f"{day:%Y-%m}":
        return []
    now = {owner_key(r.owner) for r in asked}
    kept = []
    for entry in manifest.get("requests") or []:
        if not isinstance(entry, dict) or owner_key(str(entry.get("owner"))) in now:
            continue
        entry = dict(entry)
        for key in ("as_of", "reply_by"):
            entry.setdefault(key, manifest.get(key))
        kept.append(entry)
    return kept


def read_manifest(path) -> tuple[dict | None, str]:
    """(the requests.json that requests wrote, '') or (None, why not): why is '' when
    there is no such file, else a predicate ('cannot be read ...')."""
    path = Path(path)
    if not path.is_file():
        return None, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "cannot be read (damaged, or edited by hand)"
    if not isinstance(data, dict) or data.get("format") != 1:
        return None, "was not written by this version of gain-pack requests"
    return data, ""


def month_manifest(register_path: Path, day: dt.date, requests=None,
                   notes: list | None = None) -> dict | None:
    """The month's requests.json for a pack of ``register_path``: in ``requests`` (a folder
    named by the user: refused when it has none) or the month's default folder (quietly
    skipped when absent; ``notes`` gets why one that is there cannot be used). None
    when there is none, or it was written for another register."""
    folder = Path(requests) if requests else requests_folder(register_path, day)
    manifest, why = read_manifest(folder / REQUESTS_MANIFEST)
    if requests and manifest is None:
        raise InputError(f"Cannot use the update requests in '{folder}': its "
                         f"{REQUESTS_MANIFEST} " + (why or "is not there (requests writes it)")
                         + ".")
    if why and notes is not None:
        notes.append(f"the pack does not list whose reply is not merged: {REQUESTS_MANIFEST} "
                     f"in '{folder}' {why}")
    if manifest is not None and manifest.get("register") != Path(register_path).name:
        return None
    return manifest
