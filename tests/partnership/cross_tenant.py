"""Cross-tenant entries for the partnership app's pages: url name -> kwargs built from partnership A's
objects (see tests/test_cross_tenant.py). Every partnership URL must be listed here."""

from datetime import date


def _membership_uuid(world):
    from people.models import Membership

    return Membership.objects.get(user=world.a.users["head"]).uuid


def _support_uuid(world):
    """A support between A's two schools."""
    from django.utils import timezone

    from sharing.models import SupportRelationship

    support, _ = SupportRelationship.objects.get_or_create(
        partnership=world.a.partnership,
        supporter=world.a.other_school,
        supported=world.a.school,
        defaults={"purpose": "Reading", "starts_on": date(2023, 9, 1), "granted_at": timezone.now()},
    )
    return support.uuid


def _grant_uuid(world):
    """A's strategic partner's grant on A's school."""
    from django.utils import timezone

    from people.models import Membership
    from sharing.models import StrategicPartnerGrant

    grant, _ = StrategicPartnerGrant.objects.get_or_create(
        partnership=world.a.partnership,
        membership=Membership.objects.get(user=world.a.users["partner"]),
        school=world.a.school,
        defaults={"starts_on": date(2023, 9, 1), "reason": "Diocese", "granted_at": timezone.now()},
    )
    return grant.uuid


def _register_entry_uuid(world):
    """A confidential register entry on A's school."""
    from sharing.models import ConcernRegisterEntry

    entry, _ = ConcernRegisterEntry.objects.get_or_create(
        partnership=world.a.partnership,
        school=world.a.school,
        defaults={"reason_kind": "other", "reason": "Concern", "added_on": date(2023, 9, 1)},
    )
    return entry.uuid


PARTNERSHIP_URLS = {
    "partnership_home": lambda w: {},
    "people_list": lambda w: {},
    "people_invite": lambda w: {},
    "people_detail": lambda w: {"membership_uuid": _membership_uuid(w)},
    "audit_list": lambda w: {},
    "partnership_help": lambda w: {},
    "partnership_privacy": lambda w: {},
    "partnership_accessibility": lambda w: {},
    "partnership_cookies": lambda w: {},
    "service_pages_edit": lambda w: {},
    "sharing_detail": lambda w: {"urn": w.a.school.urn},
    "sharing_overview": lambda w: {},
    "sharing_policy": lambda w: {},
    "sharing_memorandum": lambda w: {"urn": w.a.school.urn},
    "sharing_support_start": lambda w: {},
    "sharing_support_end": lambda w: {"support_uuid": _support_uuid(w)},
    "sharing_partner_grant": lambda w: {},
    "sharing_partner_grant_end": lambda w: {"grant_uuid": _grant_uuid(w)},
    "sharing_register_add": lambda w: {},
    "sharing_register_notice": lambda w: {"entry_uuid": _register_entry_uuid(w)},
}
