import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .roles import CLUSTER_ROLES, SCHOOL_ROLES, Role

ACADEMIC_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_academic_year(value: str) -> None:
    match = ACADEMIC_YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"{value!r} is not an academic year such as 2022-23.")


def validate_la_codes(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give at least one LA code.")
    for code in value:
        if not re.fullmatch(r"\d{3}", str(code)):
            raise ValidationError(f"{code!r} is not a three-digit DfE LA code such as 381.")


class Partnership(models.Model):
    """The tenant: one local authority's school improvement partnership."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    la_codes = models.JSONField(
        default=list, validators=[validate_la_codes], help_text='Three-digit DfE LA codes, e.g. ["381"].'
    )
    academic_year_start_month = models.PositiveSmallIntegerField(
        default=9, help_text="The month the academic year starts: 9 for September."
    )
    current_academic_year = models.CharField(max_length=7, default="2022-23", validators=[validate_academic_year])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not 1 <= self.academic_year_start_month <= 12:
            raise ValidationError({"academic_year_start_month": "Give a month from 1 to 12."})


class TenantQuerySet(models.QuerySet):
    """The one way to scope a tenant-owned table."""

    def for_partnership(self, partnership: Partnership):
        return self.filter(partnership=partnership)


class TenantModel(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


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

    objects = MembershipQuerySet.as_manager()

    class Meta:
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
    """An emailed invitation to join a partnership; the email is sent by a Celery task."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="invitation")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership}"


class AuditEvent(models.Model):
    """One state change made through a service: who, where, what, before and after, why and when."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="The actor's username, kept if the user goes.")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        blank = (None, "")
        return [
            (k, before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k) and not (before.get(k) in blank and after.get(k) in blank)
        ]
