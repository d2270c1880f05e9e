"""Ctrl+C, SIGTERM and SIGHUP end a run cleanly, from its first moment to its last.

Ctrl+C (SIGINT), SIGTERM (cron, systemd, `timeout`) and SIGHUP (the terminal closed)
end the run with 128 + the signal's number (130, 143, 129), no temporary file of ours
or of xlsxwriter's left behind and an older output as it was.

The handlers are installed first thing (``__main__``), before click, pandas or the
command's modules are imported: on a busy machine that import takes long enough for
a scheduler's SIGTERM to land in it. What a signal does depends on when it lands:

* before the command starts (modules loading, options being read): nothing has been
  written, so the process says so and ends there and then;
* while the command runs (``running``): a KeyboardInterrupt carrying the signal's
  number unwinds through the code's ``finally`` blocks, and the CLI removes what is
  left and says so;
* once the command has finished: its outputs are in place and the process is ending,
  so the signal is ignored.

Where a second thread works beside the main one (the register's sheets parsed on two,
a big pack deflated on the second core), the signal waits for the end of that step, a
second or two (``held``): raised into the main thread inside a lock's own Python code,
it could leave the lock taken and the other thread, and so the process, waiting for
ever. A stop that other code caught (Python wraps what is raised as a class is made in
a RuntimeError) is still a stop: the CLI asks ``raised()``.

A second signal never interrupts the cleanup of the first. Only this module imports
``signal`` into the command's process; it imports nothing heavy itself.
"""

from __future__ import annotations

import contextlib
import os
import signal

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
STOPPED = "stopped before it finished; nothing half-written was left behind."
STARTING, RUNNING, FINISHED = "starting", "running", "finished"
_phase = STARTING
_holding = False
_pending: list[int] = []    # stop signals that landed while held(), acted on at its end
_raised: int | None = None  # the stop signal raised into the running command


def catch_signals() -> None:
    """Install the stop handlers (for the whole process: call it from the entry point)."""
    import sys

    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    sys.unraisablehook = _quiet_about_stops(sys.unraisablehook)


def _quiet_about_stops(hook):
    """Python's hook for what it cannot raise (the stop landed in a weakref's callback,
    the import system's module lock say): it printed a traceback. The stop is recorded
    (``raised``) and acted on at the next ``check``, before any output is put in place,
    and the CLI ends the run as stopped; so it is not printed. Anything else is, as
    before."""
    def quiet(unraisable):
        exc = getattr(unraisable, "exc_value", None)
        if isinstance(exc, KeyboardInterrupt) and getattr(exc, "signum", None) is not None:
            return
        hook(unraisable)
    return quiet


def _ignore_signals() -> None:
    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def _on_signal(signum, frame):
    """End the run as its phase allows; a second signal must not interrupt the cleanup."""
    if _holding and _phase == RUNNING:
        _pending.append(signum)         # held(): acted on when the held moment ends
        return
    _ignore_signals()
    if _phase == RUNNING:
        global _raised
        _raised = signum
        stop = KeyboardInterrupt()
        stop.signum = signum
        raise stop
    if _phase == STARTING:
        with contextlib.suppress(OSError):
            os.write(2, f"gain-pack: {STOPPED}\n".encode())
        os._exit(128 + signum)


def raised() -> int | None:
    """The number of the stop signal raised into the running command, else None. Code
    that catches Exception can meet it wrapped (Python 3.11 wraps what a descriptor's
    __set_name__ raises, as a module loads, in a RuntimeError) and so turn it into
    another error or swallow it: the CLI asks this, not the exception it got."""
    return _raised


def check() -> None:
    """Raise again a stop that was raised into the command and caught on the way (so
    it did not unwind it): called before an output is put in place, which must not
    happen once the run was told to stop."""
    if _raised is not None and _phase == RUNNING:
        stop = KeyboardInterrupt()
        stop.signum = _raised
        raise stop


@contextlib.contextmanager
def running():
    """The command's own work: a stop signal landing in it raises KeyboardInterrupt
    (with ``signum``), so the code's cleanup runs; after it, signals are ignored."""
    global _phase, _raised, _holding
    # Python finds its temporary folder by making a file of a random name there and
    # removing it, the first time one is asked for: a stop landing between the two left
    # that file behind (CI saw one). It is found now, before a stop can land in it.
    import tempfile

    tempfile.gettempdir()
    _phase, _raised, _holding = RUNNING, None, False
    _pending.clear()
    try:
        yield
    finally:
        _phase = FINISHED


@contextlib.contextmanager
def held():
    """A moment a stop signal must not cut in two: starting a child process that must be
    ended with the run (its pid known only once the start returns), or a step where
    another thread works beside this one. A signal landing in it is acted on as the
    moment ends, where the caller's cleanup can see the child, and the threads are done."""
    global _holding
    was, _holding = _holding, True
    try:
        yield
    finally:
        _holding = was
        if not was and _pending:     # (read after _holding: a signal now is acted on itself)
            signum = _pending[0]
            _pending.clear()
            _on_signal(signum, None)
