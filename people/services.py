"""Writes for a partnership's people. Each takes a keyword-only actor and audits itself."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, snapshot
from partnership.models import Partnership
from partnership.permissions import require
from partnership.roles import Role, can_change, can_grant

from .models import Invitation, Membership
from .signals import memberships_changed

User = get_user_model()

MEMBERSHIP_FIELDS = ("user", "role", "school", "cluster", "ended_at", "end_reason")


@transaction.atomic
def membership_add(
    *, actor, partnership: Partnership, user, role: str, school=None, cluster=None, reason: str = ""
) -> Membership:
    """Give an existing user a role: an LA officer (or system work, named) gives it."""
    require(can_grant(actor_roles(actor, partnership), role))
    membership = Membership(
        partnership=partnership,
        user=user,
        role=role,
        school=school,
        cluster=cluster,
        created_by=person(actor),
    )
    membership.full_clean()
    duplicate = (
        Membership.objects.for_partnership(partnership)
        .active()
        .filter(user=user, role=role, school=school, cluster=cluster)
        .exists()
    )
    if duplicate:
        raise ValidationError(f"{user.username} already holds that role in {partnership}.")
    membership.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=membership,
        action="membership.add",
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason,
    )
    _recompute_sharing_for(membership)
    return membership


INVITATION_FIELDS = ("email", "role", "school", "cluster", "first_name", "last_name")


@transaction.atomic
def membership_invite(
    *,
    actor,
    partnership: Partnership,
    email: str,
    role: str,
    school=None,
    cluster=None,
    first_name: str = "",
    last_name: str = "",
    reason: str = "",
) -> Invitation:
    """Invite a person by email with a role; the email with its link goes out after commit.

    Nobody joins until they accept, and what the inviting officer sees is the same whether the address
    already has an account or not: the address, the name they typed and the role. A new address gets an
    account with no password, which choosing one through the link accepts; an existing account accepts
    by signing in and following the link."""
    require(can_grant(actor_roles(actor, partnership), role))
    email = User.objects.normalize_email(email).strip().lower()
    # The role must make sense (a head of a school of this partnership, and so on) before anything is made.
    Membership(partnership=partnership, role=role, school=school, cluster=cluster).full_clean(exclude=["user"])
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    invitation = Invitation(
        partnership=partnership,
        email=email,
        user=user,
        role=role,
        school=school,
        cluster=cluster,
        first_name=first_name,
        last_name=last_name,
        reason=reason or "Invited by email.",
        invited_by=person(actor),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=invitation,
        action="invitation.create",
        after=snapshot(invitation, INVITATION_FIELDS),
        reason=invitation.reason,
    )
    from .tasks import invitation_send

    transaction.on_commit(lambda: invitation_send.delay(invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership | None:
    """The invited person accepts: the membership the officer offered is made now, by its inviter's
    authority, and the audit names both. Accepting twice, or after declining, changes nothing."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("This invitation is for someone else.")
    if not invitation.is_pending:
        return invitation.membership
    partnership = invitation.partnership
    membership = (
        Membership.objects.for_partnership(partnership)
        .active()
        .filter(user=actor, role=invitation.role, school=invitation.school, cluster=invitation.cluster)
        .first()
    )
    if membership is None:
        membership = Membership(
            partnership=partnership,
            user=actor,
            role=invitation.role,
            school=invitation.school,
            cluster=invitation.cluster,
            created_by=invitation.invited_by,
        )
        membership.full_clean()
        membership.save()
        audit_record(
            actor=actor,
            partnership=partnership,
            obj=membership,
            action="membership.add",
            after=snapshot(membership, MEMBERSHIP_FIELDS),
            reason=f"Accepted the invitation from {_name(invitation.invited_by)}. {invitation.reason}".strip(),
        )
        _recompute_sharing_for(membership)
    invitation.membership = membership
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["membership", "accepted_at"])
    audit_record(actor=actor, partnership=partnership, obj=invitation, action="invitation.accept", reason="")
    return membership


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("This invitation is for someone else.")
    if not invitation.is_pending:
        return
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    audit_record(
        actor=actor, partnership=invitation.partnership, obj=invitation, action="invitation.decline", reason=""
    )


def _name(user) -> str:
    if user is None:
        return "an LA officer"
    return user.get_full_name() or user.username


def _recompute_sharing_for(membership: Membership) -> None:
    """A person's data access follows their roles: refresh their grants once this change commits."""
    memberships_changed.send(sender=Membership, partnership=membership.partnership, user_ids=[membership.user_id])


def invitation_link(invitation: Invitation) -> str:
    user = invitation.user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[uidb64, token])


def invitation_send(*, invitation_id: int) -> bool:
    """Send an invitation once. Claims it with a conditional update so a retried task sends nothing twice."""
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("user", "partnership", "invited_by").get(pk=invitation_id)
    user = invitation.user
    context = {
        "invitation": invitation,
        "role": invitation.get_role_display(),
        "where": invitation.school or invitation.cluster,
        "user": user,
        "link": invitation_link(invitation) if not user.has_usable_password() else None,
        "respond_link": settings.SITE_URL.rstrip("/") + reverse("invitation_respond", args=[invitation.uuid]),
    }
    send_mail(
        subject=f"You have been invited to {invitation.partnership.name}",
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


@transaction.atomic
def membership_change_role(
    *, actor, membership: Membership, role: str, school=None, cluster=None, reason: str
) -> Membership:
    if not reason.strip():
        raise ValidationError("Say why the role changes.")
    if membership.ended_at is not None:
        raise ValidationError("This membership has ended; invite the person again instead.")
    require(can_change(actor_roles(actor, membership.partnership), membership.role, role))
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.role, membership.school, membership.cluster = role, school, cluster
    membership.full_clean()
    membership.save(update_fields=["role", "school", "cluster"])
    audit_record(
        actor=actor,
        partnership=membership.partnership,
        obj=membership,
        action="membership.change_role",
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason,
    )
    _recompute_sharing_for(membership)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, reason: str) -> Membership:
    if not reason.strip():
        raise ValidationError("Say why the membership ends.")
    if membership.ended_at is not None:
        raise ValidationError("This membership has already ended.")
    require(can_change(actor_roles(actor, membership.partnership), membership.role))
    if membership.user_id == actor.pk and membership.role == Role.OFFICER:
        raise ValidationError("You cannot end your own LA officer membership; ask another officer.")
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_at, membership.ended_by, membership.end_reason = timezone.now(), person(actor), reason
    membership.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit_record(
        actor=actor,
        partnership=membership.partnership,
        obj=membership,
        action="membership.end",
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason,
    )
    _recompute_sharing_for(membership)
    return membership
