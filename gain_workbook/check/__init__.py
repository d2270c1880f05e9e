"""Validating a register: every problem with its cell, and a copy with them marked.
"""
