"""Tenant scoping that cannot be forgotten: every tenant-owned table is scoped with django-scopes, a query
outside a scope raises instead of answering with every partnership's rows, and tasks and commands enter
the scope of the partnership they work for. These tests run with the scopes on, as production does."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django_scopes import ScopeError, scope, scopes_disabled

from partnership.models import AuditEvent, Partnership, TenantModel

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


def tenant_models():
    found = [m for m in apps.get_models() if issubclass(m, TenantModel) or m is AuditEvent]
    assert len(found) > 20  # every app's tables, not an empty list that passes by itself
    return found


def test_every_tenant_table_refuses_a_query_outside_a_scope(world):
    for model in tenant_models():
        with pytest.raises(ScopeError):
            list(model.objects.all())
        with scope(), pytest.raises(ScopeError):
            model.objects.count()


def test_a_scope_sees_its_own_partnership_only(world):
    from people.models import Membership
    from schools.models import School

    with scope(partnership=world.b.partnership):
        assert set(School.objects.values_list("partnership_id", flat=True)) == {world.b.partnership.pk}
        assert not School.objects.filter(pk=world.a.school.pk).exists()
        assert not Membership.objects.filter(partnership=world.a.partnership).exists()
        # a related manager is scoped too
        assert not world.a.school.memberships.all().exists()
    with scopes_disabled():
        assert School.objects.filter(pk=world.a.school.pk).exists()


def test_the_tenant_itself_is_not_scoped(world):
    assert Partnership.objects.count() == 2


def test_tasks_enter_their_partnerships_scope(world, mailoutbox, django_capture_on_commit_callbacks):
    """Each task runs as a worker runs it: no scope around it but its own."""
    from people.services import membership_invite
    from people.tasks import invitation_send, invitations_send_unsent
    from sharing.tasks import sharing_recompute, sharing_retention_apply_all, supports_end_expired

    with scope(partnership=world.a.partnership):
        invitation = membership_invite(
            actor=world.a.users["officer"],
            partnership=world.a.partnership,
            email="new@example.org",
            role="governor",
            school=world.a.school,
        )
    assert invitation_send(invitation.pk) is True
    assert invitations_send_unsent(older_than_seconds=0) == 0
    assert sharing_recompute(world.a.partnership.pk)["added"] >= 0
    assert set(supports_end_expired()) <= {"alpha", "beta"}
    assert set(sharing_retention_apply_all()) == {"alpha", "beta"}
    assert len(mailoutbox) == 1


def test_commands_enter_the_scope_they_are_given(world, capsys):
    call_command("who_can_see", "--partnership", "alpha", "--urn", world.a.school.urn)
    assert "head.alpha" in capsys.readouterr().out
    call_command("sharing_recompute", "--partnership", "beta")
    assert "beta:" in capsys.readouterr().out
    call_command("school_facts", "--partnership", "alpha", "--urn", world.a.school.urn, "--year", "2018-19")
    assert '"urn"' in capsys.readouterr().out


def test_pages_and_the_api_run_in_the_requests_scope(world, client):
    """Through the middleware: a page, an export and the API answer with the scopes on."""
    from rest_framework.authtoken.models import Token

    client.force_login(world.a.users["officer"])
    assert client.get(f"/p/alpha/schools/{world.a.school.urn}/").status_code == 200
    assert client.get("/p/alpha/schools/export.csv").status_code == 200
    assert client.get("/").status_code == 302  # straight to the one partnership: read across, on purpose
    client.logout()
    token = Token.objects.create(user=world.a.users["head"])
    response = client.get("/api/p/alpha/schools/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {row["urn"] for row in response.json()["results"]} == {world.a.school.urn, world.a.other_school.urn}
    assert (
        client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}").json()["memberships"][0]["partnership"]
        == "alpha"
    )
