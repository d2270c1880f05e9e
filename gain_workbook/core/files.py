"""Every file gain-pack writes goes through here: one guard, one way to put a file in place.

* **Inputs are sacred.** Each file a command reads is remembered (``protect``) as it
  is opened; no output may be the same file as one of them, under any spelling of
  the path: the check compares the files themselves (device and inode), so
  relative, absolute, ``..``, symbolic links, hard links and letter case on a
  case-insensitive file system all come to the same answer.
* **Only ordinary files are replaced.** A folder, device, FIFO or socket at the output
  path is refused (as root, ``-o /dev/null`` must not replace the system's /dev/null),
  and so is a file marked read-only (as Excel refuses to save over one).
* **A new file replaces nothing** (``write_new``, for the register's backups): its name
  is taken exclusively, and when it is taken the next free name is used.
* **A changed file is kept** (``keeping_previous``, for outputs a person may have edited,
  such as the response's Word copy): inside the block, an output that would replace a
  file holding other bytes first keeps that file beside it as a new file (write_new);
  the same bytes again keep nothing.
* **Atomic.** A file is written to a temporary file beside it and moved into place
  with os.replace, so a failure, Ctrl+C or SIGTERM leaves the old file intact and
  no partial one. A temporary file's name carries its writer's process id and host;
  a later run in that folder removes those of runs that no longer exist (``kill -9``).
* **Permissions as any new file.** mkstemp makes the temporary file private (0600),
  and os.replace would carry that onto the output, so colleagues on a shared drive
  could not open the pack. Before the move, a new file gets the mode the user's
  umask gives any new file; a file replaced in place keeps the mode it had.
* **Faults are sentences.** A full disk, a read-only folder or a file open in Excel
  is an OutputError naming the file or folder.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

from gain_workbook.core import stop
from gain_workbook.core.errors import Hint, OutputError

TEMP_PREFIX = ".~gain-"     # our temporary files beside an output: .~gain-<pid>@<host>-xxxx.xlsx
WORK_PREFIX = "gain-work-"  # xlsxwriter's scratch folder in TMPDIR: gain-work-<pid>@<host>-xxxx
STALE_AGE = 24 * 3600       # for files whose process cannot be checked (another PC, Windows)
LOCK_PREFIX = ".~gain-lock-"    # beside a register being rewritten: .~gain-lock-<its name>
LOCK_WAIT = 30.0            # seconds a command waits for another's rewrite of the register
LOCK_STALE = 600            # a lock this old is a crashed run's, whoever made it

_inputs: dict[str, str] = {}     # absolute path -> what it is ("the register" ...)


def shown_name(path) -> str:
    """The name of ``path`` for a sentence: its file name, or the path as given when it
    has none ('.', '/', 'C:\\'), so no message names a file ''."""
    path = Path(path)
    return path.name or str(path)


def protect(path, role: str = "a file") -> None:
    """Remember a file this command reads ('the register' ...): no output may replace it."""
    _inputs.setdefault(os.path.abspath(os.fspath(path)), role)


def protected(path) -> bool:
    """Is this file one the command reads (protect), so no output may replace it?"""
    return os.path.abspath(os.fspath(path)) in _inputs


def release(path) -> None:
    """Forget a file read only to look at it before it is written over (the old board
    pack a build replaces): it is not an input of the command."""
    _inputs.pop(os.path.abspath(os.fspath(path)), None)


def forget_inputs() -> None:
    """Start a new command: forget the previous command's inputs."""
    _inputs.clear()


def _same_file(a: str, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(target, rewrite: bool = False) -> Path:
    """The output path, if it is safe to (re)place; else an OutputError in one sentence.

    ``rewrite``: the target is an input this command exists to change (merge --apply
    and the register), so being one is not refused."""
    target = Path(target)
    try:
        st = os.stat(target)          # follows a symbolic link to what it points at
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"Cannot write '{target}': {exc.strerror or exc}.") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"Cannot write '{target}': it is a folder; give a file name.")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"Cannot write '{target}': it is not an ordinary file (a device, "
                              "pipe or socket), and gain-pack only ever replaces ordinary files.")
        if read_only(st):
            raise OutputError(f"Cannot write '{target}': it is marked read-only, and gain-pack "
                              "does not save over a read-only file (nor would Excel); choose "
                              "another name, or clear the read-only mark first.")
        for inp, role in _inputs.items():
            if not rewrite and _same_file(inp, target):
                raise OutputError(f"Cannot write '{target}': it is {role} ('{Path(inp).name}'), "
                                  f"which this command reads, and an output must not replace "
                                  f"{role}; choose another name or folder.")
    return target


def read_only(st: os.stat_result) -> bool:
    """Is the file (its ``os.stat``) marked read-only: the owner's write permission off
    (``chmod 444``, ``chmod a-w``), or Windows's read-only attribute set?

    Judged by the mark, never by ``os.access``: root or an administrator may write any
    file, and os.replace ignores the mark anyway, yet Excel refuses to save over it."""
    attributes = getattr(st, "st_file_attributes", 0)
    if attributes & getattr(stat, "FILE_ATTRIBUTE_READONLY", 0):
        return True
    return not st.st_mode & stat.S_IWUSR


def _folder_of(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def fault(path, exc: OSError) -> OutputError:
    """One sentence for an OSError met while writing ``path``."""
    path = Path(path)
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return OutputError(f"Cannot write '{path.name}': the disk holding '{_folder_of(path)}' is "
                           "full; free some space (nothing was written).")
    if exc.errno == errno.EROFS:
        return OutputError(f"Cannot write '{path.name}': the folder '{_folder_of(path)}' is on a "
                           "read-only drive; write somewhere else (nothing was written).")
    if isinstance(exc, PermissionError):
        return OutputError(f"Cannot write '{path.name}': no permission to write in "
                           f"'{_folder_of(path)}'; choose a folder you can write to "
                           "(nothing was written).")
    return OutputError(f"Cannot write '{path}': {exc.strerror or exc} (nothing was written).")


@functools.lru_cache(maxsize=1)
def _host() -> str:
    import re
    import socket

    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:20] or "host"


def _temp_tag() -> str:
    """'<pid>@<host>-': whose temporary file this is (folders may be shared between PCs)."""
    return f"{os.getpid()}@{_host()}-"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True                 # someone else's process: leave its files alone
    return True


def _stale(path: Path, prefix: str) -> bool:
    """A temporary file of a run that has ended: this machine's, of a process that is gone.

    Another machine's files (a shared drive) and, on Windows, where a process id cannot
    be checked safely (os.kill would end the process), go only when a day old.
    """
    tag = path.name[len(prefix):].split("-", 1)[0]
    pid_text, _, host = tag.partition("@")
    if (host == _host() and sys.platform != "win32" and pid_text.isascii()
            and pid_text.isdigit()):
        return not _pid_alive(int(pid_text))
    with contextlib.suppress(OSError):
        return time.time() - path.stat().st_mtime > STALE_AGE
    return False


_folders_used: set[str] = set()      # where this process made temporary files


def remove_own_leftovers() -> None:
    """After Ctrl+C or SIGTERM: remove every temporary file and scratch folder of this process.

    A signal can land between creating a temporary file and the ``try`` that would
    remove it; the names carry this process's tag, so they are found here instead.
    """
    tag = _temp_tag()
    places = [(Path(f), TEMP_PREFIX) for f in _folders_used]
    _remove_ours(places + [(Path(tempfile.gettempdir()), WORK_PREFIX)],
                 lambda path, prefix: path.name.startswith(prefix + tag))


def sweep_stale(folder) -> None:
    """Remove our temporary files (and xlsxwriter's scratch folders) left by killed runs."""
    _remove_ours([(Path(folder), TEMP_PREFIX), (Path(tempfile.gettempdir()), WORK_PREFIX)],
                 _stale)


def _remove_ours(places, doomed) -> None:
    """Remove the entries named ``prefix...`` in each (folder, prefix) that ``doomed`` picks."""
    for where, prefix in places:
        try:
            names = [n for n in os.listdir(where) if n.startswith(prefix)]
        except OSError:
            continue
        for name in names:
            p = where / name
            if doomed(p, prefix):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        p.unlink()


def _umask() -> int:
    """The process's umask (read by setting it and putting it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions the output should have: those of the file it replaces, else the
    mode an ordinary new file gets (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _temporary_beside(target: Path) -> str:
    """A new empty temporary file of ours in ``target``'s folder (stale ones swept first)."""
    folder = _folder_of(target)
    sweep_stale(folder)
    _folders_used.add(os.path.abspath(folder))      # before the file exists (see above)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX + _temp_tag(), suffix=target.suffix,
                                   dir=folder)
        os.close(fd)
    except OSError as exc:
        raise fault(target, exc) from None
    return tmp


@contextlib.contextmanager
def atomic_path(target, overwrite: bool = True, rewrite: bool = False):
    """Yield a temporary path beside ``target``; move it into place if the block succeeds.

    ``rewrite`` lets the target be one of the command's inputs (see check_output)."""
    target = check_output(target, rewrite)
    folder = _folder_of(target)
    if not folder.is_dir():
        raise OutputError(f"Cannot write '{target}': the folder '{folder}' does not exist.")
    if not overwrite and target.exists():
        raise OutputError(f"'{target}' already exists; choose another name.",
                          hints=[Hint("force", ", or pass {option} to replace it")])
    tmp = _temporary_beside(target)
    try:
        try:
            yield Path(tmp)
        except OSError as exc:
            raise fault(target, exc) from None
        check_output(target, rewrite)  # nothing took its place meanwhile
        stop.check()                   # a stop caught on the way still keeps the old file
        if _keepers:
            _keepers[-1].keep(target, Path(tmp))
        try:
            os.chmod(tmp, _mode_for(target))
            if _batches:            # all_or_nothing: noted before the move, kept if it fails
                _batches[-1].place(target)
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(f"Cannot write '{target}': it is open in another program "
                              "(Excel?) or read-only; close it and try again.") from None
        except OSError as exc:
            raise fault(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@contextlib.contextmanager
def rewriting(target, command: str):
    """Only one gain-pack command rewrites a file at a time: a lock file beside it, made
    exclusively, for the time from checking the file is the one read to putting the new
    one in place. Two `merge --apply` at once on one register lost one merge's changes:
    each saw the register unchanged, and the second's replaced the first's. A command
    that finds the lock waits (the other's rewrite takes seconds), then checks as ever
    that the register is still the one it read, which it is not, and says so. A lock
    left by a run that died (its process gone; or old) is taken over."""
    target = Path(target)
    lock = target.with_name(LOCK_PREFIX + target.name)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            break
        except FileExistsError:
            if _lock_stale(lock):
                with contextlib.suppress(OSError):
                    os.unlink(lock)
                continue
            if time.monotonic() > deadline:
                raise OutputError(f"Cannot write '{target.name}' ({command}): another "
                                  "gain-pack command is writing it; try again when it has "
                                  "finished (nothing was changed).") from None
            time.sleep(0.1)
        except OSError as exc:
            raise fault(target, exc) from None
    try:
        try:
            os.write(fd, f"{os.getpid()}@{_host()}\n".encode())
        except OSError as exc:                 # (a full disk)
            raise fault(target, exc) from None
        finally:
            os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def _lock_stale(lock: Path) -> bool:
    """Is the lock a dead run's: this machine's, its process gone; or older than any
    rewrite takes?"""
    try:
        tag = lock.read_text(encoding="ascii", errors="replace").strip()
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return False                # (gone meanwhile: the next try makes it)
    pid_text, _, host = tag.partition("@")
    if host == _host() and sys.platform != "win32" and pid_text.isdigit():
        return not _pid_alive(int(pid_text))
    return age > LOCK_STALE


class _Batch:
    """What the outputs of one all_or_nothing block have put in place, to take back."""

    def __init__(self):
        self.placed: list[tuple[Path, Path | None]] = []   # (output, the file it replaced)
        self.folders: list[Path] = []                      # folders made, in order

    def place(self, target: Path) -> None:
        """``target`` is about to be moved into place: note it, with the file it replaces
        (see keep), so that undo can take it back even if the move is interrupted."""
        self.placed.append((target, self.keep(target)))

    def keep(self, target: Path) -> Path | None:
        """Keep the file at ``target`` under a temporary name beside it (a second link to
        it, else a copy); None when there is none."""
        if not os.path.lexists(target):
            return None
        folder = _folder_of(target)
        kept = folder / f"{TEMP_PREFIX}{_temp_tag()}kept-{os.urandom(4).hex()}{target.suffix}"
        try:
            try:
                os.link(target, kept, follow_symlinks=False)
            except (OSError, NotImplementedError):   # no hard links here (FAT, some shares)
                shutil.copy2(target, kept, follow_symlinks=False)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(kept)
            raise fault(target, exc) from None
        return kept

    def undo(self) -> None:
        """Put back what was replaced, remove what was new, then the folders made (if
        empty); best effort: this runs because something already failed."""
        for target, kept in reversed(self.placed):
            with contextlib.suppress(OSError):
                if kept is not None:
                    os.replace(kept, target)
                else:
                    os.unlink(target)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()

    def forget_kept(self) -> None:
        for _, kept in self.placed:
            if kept is not None:
                with contextlib.suppress(OSError):
                    os.unlink(kept)


_batches: list[_Batch] = []


@contextlib.contextmanager
def all_or_nothing():
    """The outputs written in the block (atomic_path, write_bytes, make_folder) are all
    kept if it ends well, and all taken back if it fails, Ctrl+C and SIGTERM included:
    a file that was new is removed, a file that was replaced is put back, and a folder
    made is removed if it is empty. A command that writes several files (a response
    and its PDF, a month's update requests) so leaves all of them or none, and its
    'nothing was written' is true. Each output is still moved into place whole as it
    is written, so what comes after may read it (LibreOffice reads the response)."""
    batch = _Batch()
    _batches.append(batch)
    try:
        yield
    except BaseException:
        _batches.remove(batch)
        batch.undo()
        raise
    _batches.remove(batch)
    if _batches:                    # within an outer block: that one decides
        _batches[-1].placed += batch.placed
        _batches[-1].folders += batch.folders
    else:
        batch.forget_kept()


class _Keeper:
    """The files a keeping_previous block kept before their outputs replaced them."""

    def __init__(self, names, same):
        self.names = names                  # output path -> the backup names to try
        self.same = same                    # (output path, old bytes, new bytes) -> bool
        self.kept: list[tuple[Path, Path]] = []   # (output, the backup of what it replaced)

    def keep(self, target: Path, new: Path) -> None:
        """Keep the file at ``target`` under a backup name if ``new`` differs from it."""
        try:
            if not target.is_file():
                return
            old = target.read_bytes()
            if self.same(target, old, new.read_bytes()):
                return
        except OSError as exc:
            raise fault(target, exc) from None
        backup = write_new(self.names(target), old)
        if _batches:                # all_or_nothing: a backup of a file put back goes too
            _batches[-1].placed.append((backup, None))
        self.kept.append((target, backup))


_keepers: list[_Keeper] = []


def _same_bytes(_path, old: bytes, new: bytes) -> bool:
    return old == new


@contextlib.contextmanager
def keeping_previous(names, same=_same_bytes):
    """In the block, an output (atomic_path, write_bytes) that would replace a file
    holding other content first keeps that file beside it, as a new file under the
    first free name of ``names(output)`` (write_new: it never replaces anything).
    ``same(output, old bytes, new bytes)``: is it the same content (default: the same
    bytes)? The same content keeps nothing. Yields the list of (output, backup) pairs,
    filled as the block writes."""
    keeper = _Keeper(names, same)
    _keepers.append(keeper)
    try:
        yield keeper.kept
    finally:
        _keepers.remove(keeper)


def make_folder(folder, what: str = "the files") -> Path:
    """The folder a command writes ``what`` into, made if only it is missing (not its
    parents: a mistyped path is said, not built); inside all_or_nothing, a folder made
    here goes again if the block fails and leaves it empty."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"Cannot write {what} into '{folder}': it is a file, not a "
                          "folder.")
    if not folder.parent.is_dir():
        raise OutputError(f"Cannot write {what} into '{folder}': the folder "
                          f"'{folder.parent}' does not exist.")
    try:
        folder.mkdir()
    except FileExistsError:
        return folder
    except OSError as exc:
        raise fault(folder / "x", exc) from None
    if _batches:
        _batches[-1].folders.append(folder)
    return folder


@contextlib.contextmanager
def work_dir():
    """A private scratch folder in TMPDIR (for xlsxwriter's part files), always removed."""
    try:
        d = tempfile.mkdtemp(prefix=WORK_PREFIX + _temp_tag())
    except OSError as exc:
        raise fault(Path(tempfile.gettempdir(), "gain-work"), exc) from None
    try:
        yield Path(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def write_bytes(target, data: bytes) -> Path:
    """Write a whole file atomically, through the guard."""
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_new(names, data: bytes) -> Path:
    """Write ``data`` as a new file under the first of ``names`` (paths in one folder)
    that nothing holds, and return that path. Nothing is ever replaced, not even a
    file that appears meanwhile: the name is taken exclusively, and a taken one is
    passed over for the next.

    The bytes go to a temporary file first, which is then hard-linked to the name (an
    exclusive, atomic step), so the name holds the whole file or nothing. Where a drive
    has no hard links (FAT, some network drives), the name is claimed as an empty file
    (O_EXCL) and the temporary file moved onto it."""
    names = iter(names)
    first = Path(next(names))
    folder = _folder_of(first)
    if not folder.is_dir():
        raise OutputError(f"Cannot write '{first}': the folder '{folder}' does not exist.")
    tmp = _temporary_beside(first)
    try:
        try:
            Path(tmp).write_bytes(data)
            os.chmod(tmp, 0o666 & ~_umask())
        except OSError as exc:
            raise fault(first, exc) from None
        stop.check()                   # a stop caught on the way still writes nothing
        for target in (first, *names):
            try:
                if _link_new(tmp, Path(target)):
                    return Path(target)
            except OSError as exc:
                raise fault(target, exc) from None
        raise OutputError(f"Cannot write '{first.name}': every name for it in "
                          f"'{folder}' is taken; move some of those files away.")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _link_new(tmp: str, target: Path) -> bool:
    """Put the temporary file ``tmp`` at ``target`` if nothing is there (else False)."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass                     # no hard links on this drive: claim the name instead
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    os.replace(tmp, target)
    return True


def append_line(target, line: str) -> None:
    """Append one line to a log file, through the guard (never to an input or a device)."""
    target = check_output(target)
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError as exc:
        raise fault(target, exc) from None
