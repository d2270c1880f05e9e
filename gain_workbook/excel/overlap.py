"""Deflating a workbook's parts on the second core while xlsxwriter writes the next.

xlsxwriter writes every part of a workbook to a scratch file, and only then packs
them into the .xlsx one after another: at 100,000 actions that is 120 MB of XML,
about 1.5 s of deflate with the other core idle. Here each part is packed by a
second thread as soon as xlsxwriter has finished it (when it starts the next one),
while the main thread writes the next; zlib lets go of the interpreter while it
deflates, so the two run at once. The file is the same, byte for byte: the same
parts, in the same order, with the same headers (tests/test_overlap.py, and
:func:`usable` writes a sample both ways through real files once a process).

It fits into xlsxwriter at two points, neither of them a hook it offers: the name
``ZipFile`` in its workbook module (the zip it packs into) and
``Packager._filename`` (called as each part is begun). So it is fenced as fastsheet
is: used only with FastWorksheet (``GAIN_STOCK_XLSXWRITER=1`` turns both off), only
for a workbook written to a file (not in_memory), never when either point is missing,
and only once :func:`usable` has written a small workbook both ways, to real files,
and found the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
import zipfile
from pathlib import Path

from gain_workbook.core import stop

CHUNK = 4 * 1024 * 1024      # read and deflated at once: the interpreter is let go meanwhile
ABANDON_WAIT = 60            # s: the longest a failed write waits for the packing thread


class _Packer:
    """The zip xlsxwriter packs into, with a thread that packs each finished part ahead
    of xlsxwriter's own loop; its write() then only waits for that part."""

    def __init__(self, real: zipfile.ZipFile):
        self.real = real
        self.parts: list | None = None     # the packager's list of parts, when first seen
        self.ready = 0                     # how many of them are finished
        self.done = 0                      # how many are packed
        self.error: BaseException | None = None
        self.closed = self.abandoned = False
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="gain-pack deflate",
                                       daemon=True)
        self.thread.start()

    # ------------------------------------------------ from the main thread
    def finished(self, parts: list, upto: int) -> None:
        """The first ``upto`` of ``parts`` are written and closed."""
        with self.cond:
            self.parts, self.ready = parts, max(self.ready, upto)
            self.cond.notify_all()

    def write(self, filename, arcname=None, *args, **kwargs):
        """xlsxwriter's loop, part by part: wait until the thread has packed this one."""
        with self.cond:
            if self.parts is None or args or kwargs:       # (not a part we were told of:
                self._wait(self.ready)                     # the thread idle before it)
                return self.real.write(filename, arcname, *args, **kwargs)
            self.ready = len(self.parts)                   # (its parts are all written now)
            self.cond.notify_all()
            i = next((k for k in range(len(self.parts)) if self.parts[k][0] == filename), None)
            if i is None:
                self._wait(len(self.parts))
                return self.real.write(filename, arcname)
            self._wait(i + 1)

    def writestr(self, *args, **kwargs):
        with self.cond:                 # (the thread idle, and kept so while it writes)
            self._wait(self.ready)
            return self.real.writestr(*args, **kwargs)

    def close(self) -> None:
        self.stop()
        self.real.close()

    def __getattr__(self, name):
        return getattr(self.real, name)

    def _wait(self, n: int) -> None:
        while self.done < n and self.error is None:
            if not self.thread.is_alive():
                raise RuntimeError("the thread packing the workbook ended before it "
                                   "was done")   # (never expected: _run catches everything)
            self.cond.wait(0.5)
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def stop(self, abandon: bool = False) -> None:
        """End the thread: once it has packed every finished part, or (``abandon``: the
        write failed part way) after the part it is packing."""
        with self.cond:
            self.closed, self.abandoned = True, abandon
            self.cond.notify_all()
        # abandoned, it packs at most the part it is on; a bound all the same, so that no
        # lock left taken can keep the process for ever (it is a daemon: exit ends it)
        self.thread.join(ABANDON_WAIT if abandon else None)

    # ------------------------------------------------ the second thread
    def _run(self) -> None:
        try:
            while self._pack_next():
                pass
        except BaseException as exc:        # (said in the main thread, where it waits)
            with self.cond:
                self.error = exc
                self.cond.notify_all()

    def _pack_next(self) -> bool:
        """Pack the next finished part, once there is one; False when there is no more."""
        with self.cond:
            while not self.closed and (self.parts is None or self.done >= self.ready):
                self.cond.wait(0.5)
            if self.abandoned or (self.closed and (self.parts is None or
                                                   self.done >= self.ready)):
                return False
            filename, arcname, _ = self.parts[self.done]
        _pack(self.real, filename, arcname)
        with self.cond:
            self.done += 1
            self.cond.notify_all()
        return True


# xlsxwriter dates each part 31 January 1980 (a portable stand-in for Excel's 1/1/1980)
_STAMP = time.mktime((1980, 1, 31, 0, 0, 0, 0, 0, -1))


def _pack(zf: zipfile.ZipFile, filename: str, arcname: str) -> None:
    """What ZipFile.write(filename, arcname) does after xlsxwriter's os.utime, reading a
    few MB at a time (ZipFile.write copies 8 KB at a time, taking the interpreter back
    for each: the two threads would then mostly wait on each other)."""
    os.utime(filename, (_STAMP, _STAMP))
    info = zipfile.ZipInfo.from_file(filename, arcname,
                                     strict_timestamps=zf._strict_timestamps)
    info.compress_type = zf.compression
    info._compresslevel = zf.compresslevel
    with open(filename, "rb") as src, zf.open(info, "w") as dest:
        while chunk := src.read(CHUNK):
            dest.write(chunk)


_current: list = []          # the packer of the workbook being closed, if any


def _points():
    """(xlsxwriter's workbook module, its Packager), or None when either point is gone."""
    try:
        from xlsxwriter import workbook
        from xlsxwriter.packager import Packager
    except ImportError:     # pragma: no cover
        return None
    if getattr(workbook, "ZipFile", None) is not zipfile.ZipFile or \
            not callable(getattr(Packager, "_filename", None)):
        return None         # pragma: no cover - a future xlsxwriter
    return workbook, Packager


@contextlib.contextmanager
def overlapped_packing():
    """While the block runs (a workbook's close()), its parts are packed on a second
    thread as they are finished. Does nothing where xlsxwriter lacks either point."""
    points = _points()
    if points is None:
        yield
        return
    with stop.held():
        yield from _overlapped(*points)


def _overlapped(workbook, packager):
    """overlapped_packing's work. A stop signal waits for its end (stop.held): raised
    into the main thread in the middle of a lock's or a condition's own Python code,
    it could leave the lock taken, and the packing thread, and so the process, waiting
    for ever. This is the hang CI met: a SIGTERM during the self-check's sample, the
    main thread joining the packing thread while holding the condition's lock (left
    taken by the stop raised inside the condition's own code), the thread waiting for
    that lock (seen with gdb on the hung process). Writing takes a second or two."""
    stock_filename = packager._filename

    def opened(file, *args, **kwargs):
        real = zipfile.ZipFile(file, *args, **kwargs)
        if not isinstance(file, (str, os.PathLike)):
            return real                     # (into memory: nothing to overlap)
        packer = _Packer(real)
        _current.append(packer)
        return packer

    def filename(self, xml_filename):
        if _current and not self.in_memory:
            _current[-1].finished(self.filenames, len(self.filenames))
        return stock_filename(self, xml_filename)

    workbook.ZipFile, packager._filename = opened, filename
    try:
        yield
    finally:
        workbook.ZipFile, packager._filename = zipfile.ZipFile, stock_filename
        while _current:
            packer = _current.pop()
            if packer.thread.is_alive():    # (the write failed part way: stop packing)
                packer.stop(abandon=True)
            if packer.real.fp is not None:  # (failed: let the file go, so that it can be
                with contextlib.suppress(Exception):    # removed, on Windows too)
                    packer.real.close()


# cells from which a workbook is worth packing on a second thread: below it, packing
# takes a few hundredths of a second and the self-check (once a process) about as long
OVERLAP_FROM = 200_000


def worth_it(wb) -> bool:
    """Does the workbook hold enough cells (by its sheets' extents) to gain?"""
    cells = 0
    for ws in wb.worksheets():
        if getattr(ws, "dim_rowmax", None) is not None and ws.dim_colmax is not None:
            cells += (ws.dim_rowmax - ws.dim_rowmin + 1) * (ws.dim_colmax - ws.dim_colmin + 1)
    return cells >= OVERLAP_FROM


@functools.cache
def usable() -> bool:
    """Does packing on the second thread write what xlsxwriter writes, here? A small
    workbook of several parts (sheets, shared strings, a chart, a picture), written both
    ways to real files, once a process (a few hundredths of a second)."""
    import tempfile

    if _points() is None:
        return False        # pragma: no cover - a future xlsxwriter
    try:
        with tempfile.TemporaryDirectory(prefix="gain-overlap-") as folder:
            made = [_sample(Path(folder) / f"{i}.xlsx", packed) for i, packed in
                    enumerate((contextlib.nullcontext, overlapped_packing))]
    except Exception:       # (a scratch folder it cannot write, say: xlsxwriter's way then)
        return False
    return made[0] == made[1]


def _sample(path, packing) -> bytes:
    import datetime as dt
    import io

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"tmpdir": str(path.parent)})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    for n in range(3):
        ws = wb.add_worksheet()
        ws.write_column(0, 0, [f"text {i} " * (n + 1) for i in range(300)])
        ws.write_column(0, 1, list(range(300)))
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Sheet1!$B$1:$B$5"})
    ws.insert_chart("D2", chart)
    ws.insert_image("D20", "dot.png", {"image_data": io.BytesIO(_PNG)})
    with packing():
        wb.close()
    return path.read_bytes()


# a 1x1 PNG: a picture is a binary part, packed from a copy xlsxwriter makes
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
