"""Memberships (a person's role in a partnership, with their school or cluster) and invitations."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from partnership.models import TenantModel, TenantQuerySet, tenant_manager
from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Role


class MembershipQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Membership(TenantModel):
    """A user's role in a partnership; heads and governors are of a school, cluster roles of a cluster."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    cluster = models.ForeignKey(
        "schools.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    objects = tenant_manager(MembershipQuerySet)

    class Meta:
        db_table = "partnership_membership"
        ordering = ["role", "user__username"]
        indexes = [models.Index(fields=["partnership", "user"])]

    def __str__(self) -> str:
        where = self.school or self.cluster
        suffix = f" of {where}" if where else ""
        return f"{self.user} — {self.get_role_display()}{suffix} ({self.partnership})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def clean(self) -> None:
        errors = {}
        if self.role in SCHOOL_ROLES and not self.school_id:
            errors["school"] = f"A {Role(self.role).label.lower()} belongs to a school: choose one."
        if self.role not in SCHOOL_ROLES and self.school_id:
            errors["school"] = f"A {Role(self.role).label.lower()} is not attached to a school."
        if self.role in CLUSTER_ROLES and not self.cluster_id:
            errors["cluster"] = f"A {Role(self.role).label.lower()} belongs to a cluster: choose one."
        if self.role not in CLUSTER_ROLES and self.cluster_id:
            errors["cluster"] = f"A {Role(self.role).label.lower()} is not attached to a cluster."
        for field in ("school", "cluster"):
            target = getattr(self, field) if getattr(self, f"{field}_id") else None
            if target is not None and target.partnership_id != self.partnership_id:
                errors[field] = f"That {field} belongs to another partnership."
        if errors:
            raise ValidationError(errors)


class Invitation(TenantModel):
    """An emailed invitation to join a partnership with a role. Nobody joins until the person accepts:
    a new account by choosing its password, an existing account by signing in and accepting, so an
    officer can neither attach someone else's account nor learn from the page whether one exists."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    # The account the invitation is for: made for a new address, found for an existing one. Shown to
    # nobody in the partnership until the person accepts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="invitations_received"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey("schools.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The name as the officer typed it: what the partnership sees until the person accepts.
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="invitation"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "partnership_invitation"

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.declined_at is None

    @property
    def typed_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
