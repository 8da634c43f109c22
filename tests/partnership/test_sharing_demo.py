"""The demo shows every sharing rule in every partnership, and loading it twice changes no grant."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from partnership.models import Partnership
from people.models import Membership
from sharing import rules
from sharing.models import (
    ConcernRegisterEntry,
    MemorandumStatus,
    SchoolUserObjectPermission,
    StrategicPartnerGrant,
    SupportRelationship,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_letters")]
SLUGS = ("calderdale", "oldham", "milton-keynes")


def test_every_partnership_shows_every_rule():
    call_command("load_demo", stdout=StringIO())
    rows = set(SchoolUserObjectPermission.objects.values_list("user_id", "content_object_id"))
    call_command("load_demo", stdout=StringIO())
    assert set(SchoolUserObjectPermission.objects.values_list("user_id", "content_object_id")) == rows
    for slug in SLUGS:
        p = Partnership.objects.get(slug=slug)
        current = MemorandumStatus.objects.for_partnership(p).filter(superseded_at__isnull=True)
        declined = current.get(status="declined").school
        support = SupportRelationship.objects.for_partnership(p).get()
        grant = StrategicPartnerGrant.objects.for_partnership(p).select_related("membership__user").first()
        entry = ConcernRegisterEntry.objects.for_partnership(p).get(reason_kind="other")
        head = Membership.objects.for_partnership(p).get(role="head").user
        partner = Membership.objects.for_partnership(p).get(role="partner").user
        assert grant.membership.user == partner
        assert entry.is_confidential
        assert rules.access_for(head, support.supported).rule == "support"
        assert rules.access_for(head, declined).rule == "not-shared"
        assert rules.access_for(partner, grant.school).rule == "partner-grant"
        assert entry not in rules.register_entries_visible_to(head, p) or entry.school == support.supporter
        out = StringIO()
        call_command("who_can_see", "--partnership", slug, "--urn", declined.urn, stdout=out)
        full = {r["username"] for r in json.loads(out.getvalue()) if r["access"] == "full"}
        assert full == {f"officer.{slug}", "admin"}  # the declined school's data: the LA only


def test_every_demo_account_can_open_the_sharing_page_of_every_demo_case(client):
    call_command("load_demo", stdout=StringIO())
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for slug in SLUGS:
        p = Partnership.objects.get(slug=slug)
        schools = {
            MemorandumStatus.objects.for_partnership(p).get(status="declined").school,
            SupportRelationship.objects.for_partnership(p).get().supported,
            ConcernRegisterEntry.objects.for_partnership(p).get(reason_kind="other").school,
            StrategicPartnerGrant.objects.for_partnership(p).first().school,
        }
        for user in User.objects.filter(memberships__partnership=p).distinct():
            client.force_login(user)
            for school in schools:
                response = client.get(f"/p/{slug}/sharing/{school.urn}/")
                assert response.status_code == 200, (user.username, school.urn)
