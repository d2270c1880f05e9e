"""The owners' chase: update requests, replies read back, what they would change (merge),
and what came back for the board.
"""
