"""The status roll-up per action, item and inspection as at a date, its tabular views, and
the movement since last month.
"""
