"""How a workbook is read as a register (its layout detected, its values made canonical),
the register template (init, adopt), and the one place a register is changed (edit).
"""
