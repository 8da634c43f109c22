import pytest
from django.urls import reverse

from partnership.models import AuditEvent
from people.models import Invitation, Membership
from people.services import membership_invite

pytestmark = pytest.mark.django_db


def home(p):
    return reverse("partnership_home", kwargs={"partnership_slug": p.slug})


@pytest.mark.parametrize("role", ["officer", "board", "clusterlead", "clusterofficer", "head", "governor", "partner"])
def test_each_role_lands_on_a_home_page_with_its_partnership(world, login, role):
    client = login(world.a.users[role])
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == home(world.a.partnership)
    assert world.a.partnership.name in response.content.decode()


def test_head_home_shows_their_school_and_cluster(world, login):
    body = login(world.a.users["head"]).get(home(world.a.partnership)).content.decode()
    assert f"Your school: {world.a.school.name}" in body
    assert world.a.cluster.name in body
    assert "Invite someone" not in body


def test_cluster_lead_home_lists_the_cluster_members(world, login):
    body = login(world.a.users["clusterlead"]).get(home(world.a.partnership)).content.decode()
    assert f"Your cluster: {world.a.cluster.name}" in body
    assert world.a.school.name in body and world.a.other_school.name in body


def test_officer_home_counts_schools_and_people(world, login):
    response = login(world.a.users["officer"]).get(home(world.a.partnership))
    assert response.context["school_count"] == 2
    assert ("LA officer", 1) in response.context["people_rows"]


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(home(world.a.partnership))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_of_another_partnership_gets_404(world, login):
    assert login(world.b.users["officer"]).get(home(world.a.partnership)).status_code == 404


def test_missing_partnership_is_the_same_404(world, login):
    assert login(world.a.users["officer"]).get("/p/no-such-place/").status_code == 404


def test_ended_membership_loses_access_at_once(world, login):
    client = login(world.a.users["head"])
    assert client.get(home(world.a.partnership)).status_code == 200
    Membership.objects.filter(user=world.a.users["head"]).update(ended_at="2022-09-01T00:00:00Z")
    assert client.get(home(world.a.partnership)).status_code == 404


def test_platform_admin_sees_every_partnership(world, login):
    client = login(world.admin)
    assert client.get(home(world.a.partnership)).status_code == 200
    assert client.get(home(world.b.partnership)).status_code == 200


def test_user_with_two_partnerships_chooses_and_switches(world, login):
    from tests.factories import MembershipFactory

    user = world.a.users["partner"]
    MembershipFactory(partnership=world.b.partnership, user=user, role="partner")
    client = login(user)
    choose = client.get(reverse("home"))
    assert choose.status_code == 200
    assert world.a.partnership.name in choose.content.decode() and world.b.partnership.name in choose.content.decode()
    client.get(home(world.b.partnership))
    assert client.get(reverse("home")).url == home(world.b.partnership)  # remembered
    assert client.get(reverse("home") + "?switch=1").status_code == 200  # and can switch


@pytest.mark.parametrize("role", ["board", "clusterlead", "clusterofficer", "head", "governor", "partner"])
def test_people_pages_refuse_other_roles_with_a_reason(world, login, role):
    response = login(world.a.users[role]).get(reverse("people_list", args=[world.a.partnership.slug]))
    assert response.status_code == 403
    assert "Only an LA officer" in response.content.decode()


def test_officer_invites_by_email_and_the_link_sets_a_password(
    world, login, client, mailoutbox, django_capture_on_commit_callbacks
):
    officer = world.a.users["officer"]
    login(officer)
    url = reverse("people_invite", args=[world.a.partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "New.Head@Example.org", "role": "head", "school": world.a.school.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(user__email="new.head@example.org").exists()  # not until accepted
    invitation = Invitation.objects.get(email="new.head@example.org")
    assert (invitation.role, invitation.school, invitation.sent_at is not None) == ("head", world.a.school, True)
    assert AuditEvent.objects.get(action="invitation.create", object_id=str(invitation.pk)).actor == officer
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/invitation/" in line)
    path = link.split("127.0.0.1:8000", 1)[1]

    client.logout()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    )
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="new.head@example.org")  # choosing a password accepts
    assert (membership.role, membership.school, membership.created_by) == ("head", world.a.school, officer)
    audit = AuditEvent.objects.get(action="membership.add", object_id=str(membership.pk))
    assert audit.partnership == world.a.partnership and "Accepted the invitation" in audit.reason
    signed_in = client.post(reverse("login"), {"username": "new.head@example.org", "password": "a-long-new-passphrase"})
    assert signed_in.status_code == 302
    client.logout()
    again = client.get(path, follow=True)
    assert "has expired" in again.content.decode()  # one-time


def test_invite_without_a_school_for_a_head_names_the_mistake_and_saves_nothing(world, login):
    client = login(world.a.users["officer"])
    before = Membership.objects.count()
    response = client.post(
        reverse("people_invite", args=[world.a.partnership.slug]), {"email": "x@example.org", "role": "head"}
    )
    assert response.status_code == 200
    assert "belongs to a school" in response.content.decode()
    assert Membership.objects.count() == before


def test_invite_cannot_use_another_partnerships_school(world, login):
    client = login(world.a.users["officer"])
    response = client.post(
        reverse("people_invite", args=[world.a.partnership.slug]),
        {"email": "x@example.org", "role": "head", "school": world.b.school.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user__email="x@example.org").exists()


def test_officer_changes_a_role_and_ends_a_membership_with_reasons(world, login):
    client = login(world.a.users["officer"])
    membership = Membership.objects.get(user=world.a.users["board"])
    url = reverse("people_detail", args=[world.a.partnership.slug, membership.uuid])
    response = client.post(url, {"action": "change", "role": "partner", "reason": "Moved to the diocese."})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "partner"
    response = client.post(url, {"action": "end", "reason": ""})
    assert "This field is required" in response.content.decode()
    client.post(url, {"action": "end", "reason": "Left the partnership."})
    membership.refresh_from_db()
    assert membership.ended_at is not None
    actions = list(AuditEvent.objects.filter(object_id=str(membership.pk)).values_list("action", "reason"))
    assert ("membership.change_role", "Moved to the diocese.") in actions
    assert ("membership.end", "Left the partnership.") in actions
    page = client.get(url).content.decode()
    assert "Moved to the diocese." in page and "Left the partnership." in page


def test_people_detail_of_another_partnership_is_404(world, login):
    other = Membership.objects.get(user=world.b.users["head"])
    response = login(world.a.users["officer"]).get(
        reverse("people_detail", args=[world.a.partnership.slug, other.uuid])
    )
    assert response.status_code == 404


def test_school_page_shows_audit_trail_to_officers_only(world, login):
    from partnership.audit import audit_record

    audit_record(
        actor=world.a.users["officer"],
        partnership=world.a.partnership,
        obj=world.a.school,
        action="school.update",
        before={"pupils": 200},
        after={"pupils": 210},
        reason="Census.",
    )
    url = reverse("school_detail", args=[world.a.partnership.slug, world.a.school.urn])
    assert "Census." in login(world.a.users["officer"]).get(url).content.decode()
    assert "Census." not in login(world.a.users["head"]).get(url).content.decode()


@pytest.mark.parametrize("role", ["officer", "board", "clusterlead", "head"])
def test_home_page_queries_do_not_grow_with_the_number_of_schools(world, login, role, django_assert_max_num_queries):
    from tests.factories import ClusterMembershipFactory

    client = login(world.a.users[role])
    for _ in range(40):
        ClusterMembershipFactory(cluster=world.a.cluster)
    # The sections of what to do next read runs, imports and the shown categorisation: a few, not one a school.
    with django_assert_max_num_queries(17):
        response = client.get(home(world.a.partnership))
    assert response.status_code == 200


def test_people_and_audit_pages_queries_are_bounded(world, login, django_assert_max_num_queries):
    from tests.factories import MembershipFactory

    client = login(world.a.users["officer"])
    for n in range(30):
        MembershipFactory(partnership=world.a.partnership, role="partner")
        membership_invite(
            actor=world.a.users["officer"], partnership=world.a.partnership, email=f"p{n}@example.org", role="partner"
        )
    # The people page's one more is the invitations waiting; the audit page's three more are the filter's
    # lists of people, kinds and actions.
    for name, most in (("people_list", 11), ("audit_list", 13)):
        with django_assert_max_num_queries(most):
            assert client.get(reverse(name, args=[world.a.partnership.slug])).status_code == 200


def test_inviting_an_existing_account_looks_the_same_and_joins_only_when_that_person_accepts(
    world, login, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The officer of A types B's partner's address: the page answers as for a new address, shows only
    what the officer typed, and nobody joins until the partner signs in and accepts."""
    outsider = world.b.users["partner"]
    outsider.first_name, outsider.last_name = "Secretly", "Existing"
    outsider.save()
    login(world.a.users["officer"])
    url = reverse("people_invite", args=[world.a.partnership.slug])

    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": email, "role": "partner"}, follow=True)
        return response.content.decode()

    existing = invite(outsider.email)
    new = invite("nobody.yet@example.org")
    said = [p for p in (existing, new)]
    assert f"Invitation sent to {outsider.email}. They join as strategic partner once they accept it." in said[0]
    assert "Invitation sent to nobody.yet@example.org. They join as strategic partner once they accept it." in said[1]
    for hidden in ("Secretly", "Existing"):  # the account's own name: never shown before accepting
        assert hidden not in new, hidden
    assert not Membership.objects.filter(user=outsider, partnership=world.a.partnership).exists()
    invitation = Invitation.objects.get(email=outsider.email)

    respond = reverse("invitation_respond", args=[invitation.uuid])
    assert respond in mailoutbox[0].body
    login(world.a.users["head"])
    assert client.get(respond).status_code == 404  # someone else's invitation: not found
    assert client.post(respond, {"action": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=outsider, partnership=world.a.partnership).exists()

    login(outsider)
    page = client.get(respond)
    assert page.status_code == 200 and world.a.partnership.name in page.content.decode()
    joined = client.post(respond, {"action": "accept"})
    assert joined.status_code == 302
    assert Membership.objects.get(user=outsider, partnership=world.a.partnership).role == "partner"
    assert client.get(respond).status_code == 404  # answered: the link is spent


def test_an_invitation_can_be_declined_and_nothing_joins(world, login, client, django_capture_on_commit_callbacks):
    outsider = world.b.users["partner"]
    login(world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people_invite", args=[world.a.partnership.slug]), {"email": outsider.email, "role": "partner"}
        )
    invitation = Invitation.objects.get(email=outsider.email)
    login(outsider)
    client.post(reverse("invitation_respond", args=[invitation.uuid]), {"action": "decline"})
    invitation.refresh_from_db()
    assert invitation.declined_at is not None and invitation.membership is None
    assert not Membership.objects.filter(user=outsider, partnership=world.a.partnership).exists()
    login(world.a.users["officer"])
    listing = client.get(reverse("people_list", args=[world.a.partnership.slug])).content.decode()
    waiting = listing.split("Invitations waiting to be accepted</h2>", 1)[1]
    assert outsider.email not in waiting and "None." in waiting
