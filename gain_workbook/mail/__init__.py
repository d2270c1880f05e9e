"""Email: composing the messages, and sending them (Outlook drafts, SMTP). Needs no
register reader: what a message says comes from Settings and the files it carries.
"""
