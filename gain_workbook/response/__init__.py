"""The PCC's section 55 response: what it says, as blocks, and its sheet and Word forms.
"""
