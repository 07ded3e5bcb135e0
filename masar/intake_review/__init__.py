"""Reviewing a draft read from an official text: the source beside the draft, names matched to Masar's records,
and acceptance through the audited services. Nothing is written before a person accepts.

Pages only (no models): the templates live in `masar/templates/intake_review/`.
"""
