"""What every command's result carries: the notes and warnings it says on the way.

Each command's own result (``BuildResult``, ``MergeResult`` ...) is defined beside the
code that makes it, in its package's ``commands`` module, and extends one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Result:
    """What every command's result carries besides its own fields."""

    notes: list = field(default_factory=list)       # sentences (or errors.Note) for
    #                                                 'gain-pack: note:'
    warnings: list = field(default_factory=list)    # sentences for 'gain-pack: warning:'


@dataclass(kw_only=True)
class ReadResult(Result):
    """A result about a register that was read (``register``: the Register)."""

    register: object = None

    def __post_init__(self):
        reg = self.register
        if reg is not None and getattr(reg, "open_in_excel", False):
            self.notes.insert(0, f"'{reg.path.name}' is open in Excel; reading the version "
                              "last saved.")
        plan = getattr(reg, "plan", None)
        if plan is not None:
            # a column read from its values alone is said, so a wrong guess is never silent
            self.warnings[:0] = plan.content_warnings()
        forces = getattr(reg, "forces", None)     # a register of several forces says whose
        if forces is not None and forces.line:
            (self.warnings if forces.warn else self.notes).insert(0, forces.line)

    @property
    def layout(self) -> str:
        """The layout the register was read in, and from which sheets ('' if unknown)."""
        plan = getattr(self.register, "plan", None)
        return plan.layout_line() if plan is not None else ""


@dataclass(kw_only=True)
class PlanResult(ReadResult):
    """A command that plans changes to the register and, with --apply, writes them:
    ``plan`` (its problems say whether it is ``clean``), whether it was applied, the
    backup kept, and the register checked again afterwards."""

    plan: object
    applied: bool = False
    backup: object = None         # Path of the register before, when applied
    report: object = None         # the register re-validated after --apply

    @property
    def clean(self) -> bool:
        return self.plan.clean


def plan_head(applied: bool, asked: bool) -> str:
    """How a plan's listing ends: applied, asked to apply with nothing to write, or a
    dry run."""
    return "Applied" if applied else \
        "Nothing to apply (the register was not rewritten)" if asked else \
        "Dry run (nothing changed)"
