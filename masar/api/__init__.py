"""The REST API for other administrations' systems (`/api/v1/`): a thin client of the one policy.

It parses requests into the selectors' filter objects and the services' arguments, and renders
records; it holds no rule of who may see or do what (`masar.core.policy` does).
"""
