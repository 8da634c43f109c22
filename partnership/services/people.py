"""Writes for partnerships and their people. Each takes a keyword-only actor and audits itself."""

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

from ..audit import audit_record, snapshot
from ..models import (
    Invitation,
    Membership,
    Partnership,
)
from ..roles import PLATFORM_ADMIN, Role, can_change, can_grant
from ..selectors import memberships_for_user

User = get_user_model()

MEMBERSHIP_FIELDS = ("user", "role", "school", "cluster", "ended_at", "end_reason")
PARTNERSHIP_FIELDS = ("name", "slug", "la_codes", "academic_year_start_month", "current_academic_year")


def actor_roles(actor, partnership: Partnership) -> set[str]:
    roles = {m.role for m in memberships_for_user(actor, partnership)}
    if actor.is_superuser:
        roles.add(PLATFORM_ADMIN)
    return roles


def _require(decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


@transaction.atomic
def partnership_create(
    *, actor, slug: str, name: str, la_codes: list[str], current_academic_year: str = "2022-23"
) -> Partnership:
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("Only a platform admin can create a partnership.")
    partnership = Partnership(
        slug=slug, name=name, la_codes=[str(c) for c in la_codes], current_academic_year=current_academic_year
    )
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=partnership,
        action="partnership.create",
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    return partnership


@transaction.atomic
def membership_add(
    *, actor, partnership: Partnership, user, role: str, school=None, cluster=None, reason: str = ""
) -> Membership:
    """Give an existing user a role. Platform admins (actor None means a command run by one) skip the rank check."""
    if actor is not None:
        _require(can_grant(actor_roles(actor, partnership), role))
    membership = Membership(
        partnership=partnership,
        user=user,
        role=role,
        school=school,
        cluster=cluster,
        created_by=actor if actor is not None else None,
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
    """Invite a person by email with a role; the email with a one-time link goes out after commit."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    membership = membership_add(
        actor=actor,
        partnership=partnership,
        user=user,
        role=role,
        school=school,
        cluster=cluster,
        reason=reason or "Invited by email.",
    )
    invitation = Invitation.objects.create(
        partnership=partnership, membership=membership, email=email, invited_by=actor
    )
    from ..tasks import invitation_send

    transaction.on_commit(lambda: invitation_send.delay(invitation.pk))
    return invitation


def _recompute_sharing_for(membership: Membership) -> None:
    """A person's data access follows their roles: refresh their grants once this change commits."""
    from .sharing import _queue_recompute  # sharing builds on this module

    _queue_recompute(membership.partnership, user_ids=[membership.user_id])


def invitation_link(invitation: Invitation) -> str:
    user = invitation.membership.user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[uidb64, token])


def invitation_send(*, invitation_id: int) -> bool:
    """Send an invitation once. Claims it with a conditional update so a retried task sends nothing twice."""
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("membership__user", "partnership").get(pk=invitation_id)
    user = invitation.membership.user
    context = {
        "invitation": invitation,
        "role": invitation.membership.get_role_display(),
        "link": invitation_link(invitation) if not user.has_usable_password() else None,
        "login_link": settings.SITE_URL.rstrip("/") + reverse("login"),
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
    _require(can_change(actor_roles(actor, membership.partnership), membership.role, role))
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
    _require(can_change(actor_roles(actor, membership.partnership), membership.role))
    if membership.user_id == actor.pk and membership.role == Role.OFFICER:
        raise ValidationError("You cannot end your own LA officer membership; ask another officer.")
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_at, membership.ended_by, membership.end_reason = timezone.now(), actor, reason
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
