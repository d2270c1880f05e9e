"""The monthly GAIN Board pack.
"""
