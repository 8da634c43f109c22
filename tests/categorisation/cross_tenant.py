"""Cross-tenant entries for categorisation's pages: url name -> kwargs built from partnership A's
objects (see tests/test_cross_tenant.py). Every categorisation URL must be listed here."""

CATEGORISATION_URLS: dict = {}
