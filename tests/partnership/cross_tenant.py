"""Cross-tenant entries for the partnership app's pages: url name -> kwargs built from partnership A's
objects (see tests/test_cross_tenant.py). Every partnership URL must be listed here."""


def _membership_uuid(world):
    from partnership.models import Membership

    return Membership.objects.get(user=world.a.users["head"]).uuid


PARTNERSHIP_URLS = {
    "partnership_home": lambda w: {},
    "people_list": lambda w: {},
    "people_invite": lambda w: {},
    "people_detail": lambda w: {"membership_uuid": _membership_uuid(w)},
    "audit_list": lambda w: {},
    "sharing_detail": lambda w: {"urn": w.a.school.urn},
}
