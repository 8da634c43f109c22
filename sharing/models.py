"""The inputs of the sharing rules and their result: memorandum answers, supports, strategic partner
grants, the Schools Causing Concern register, the sharing policy, the access log, and the
django-guardian object grants on schools the rules are stored as."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from partnership.models import Partnership, TenantModel
from people.models import Membership
from schools.models import School

# ---- data sharing (Oldham memorandum section 3; the Calderdale SCC register) --------------------


def _same_partnership(errors: dict, obj: models.Model, *fields: str) -> None:
    for name in fields:
        if getattr(obj, f"{name}_id", None) is None:
            continue
        target = getattr(obj, name)
        if target.partnership_id != obj.partnership_id:
            errors[name] = f"That {name.replace('_', ' ')} belongs to another partnership."


class MemorandumStatus(TenantModel):
    """A school's answer to the memorandum of understanding. Old answers are kept: one row is current."""

    constraint_messages = {
        "one_current_memorandum_status": (
            "The school already has a current answer to the memorandum: record a new answer in its place."
        ),
    }

    class Status(models.TextChoices):
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn after signing"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="memorandum_statuses")
    status = models.CharField(max_length=10, choices=Status.choices)
    signed_on = models.DateField(null=True, blank=True)
    governors_minute_ref = models.CharField(
        "governors' minute reference", max_length=120, blank=True, help_text="The governing body minute that agreed it."
    )
    data_controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The named person who controls access to the school's data (memorandum 3.2).",
    )
    # Named in words, account or not: the person who signed for the school and the data controller (3.2).
    signatory_name = models.CharField("signed by", max_length=150, blank=True, default="")
    signatory_role = models.CharField("signatory's role", max_length=150, blank=True, default="")
    data_controller_name = models.CharField("data controller", max_length=150, blank=True, default="")
    data_controller_role = models.CharField("data controller's role", max_length=150, blank=True, default="")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True, help_text="When a later answer replaced this one.")

    class Meta:
        db_table = "partnership_memorandumstatus"
        ordering = ["school", "-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=models.Q(superseded_at__isnull=True), name="one_current_memorandum_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: memorandum {self.get_status_display().lower()}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def signatory(self) -> str:
        """ "Ann Lee, chair of governors": the person who signed, as the sharing pages show them."""
        return ", ".join(part for part in (self.signatory_name, self.signatory_role) if part)

    @property
    def controller(self) -> str:
        """The data controller by name and role; the account's name for an answer recorded before names were."""
        named = ", ".join(part for part in (self.data_controller_name, self.data_controller_role) if part)
        if named or self.data_controller is None:
            return named
        return self.data_controller.get_full_name() or self.data_controller.username

    def clean(self) -> None:
        errors: dict = {}
        if self.status == self.Status.SIGNED:
            if not self.signed_on:
                errors["signed_on"] = "Give the date the memorandum was signed."
            if not self.governors_minute_ref.strip():
                errors["governors_minute_ref"] = "Give the governors' minute that agreed it."
            if not self.data_controller_id and not self.data_controller_name.strip():
                errors["data_controller"] = "Name the person who controls access to the school's data."
        elif self.signed_on and self.status == self.Status.DECLINED:
            errors["signed_on"] = "A school that declined has no signing date."
        elif self.signed_on and self.status == self.Status.WITHDRAWN:
            errors["signed_on"] = "A withdrawal has no signing date: the signed answer it replaces keeps it."
        if self.status in (self.Status.DECLINED, self.Status.WITHDRAWN) and not (self.note or "").strip():
            verb = "declined" if self.status == self.Status.DECLINED else "withdrew"
            errors["note"] = f"Say why the school {verb}: the reason is kept with the answer."
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = "The signing date cannot be in the future."
        _same_partnership(errors, self, "school")
        if errors:
            raise ValidationError(errors)


class SupportRelationship(TenantModel):
    """School A supports school B: B's headteacher (or an LA officer) lets A see B's data for the support."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supporter = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="supports_given")
    supported = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="supports_received")
    purpose = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day of the support; empty while open.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When the support was ended or swept up.")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        db_table = "partnership_supportrelationship"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["partnership", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.supporter} supports {self.supported}"

    def is_active_on(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def clean(self) -> None:
        errors: dict = {}
        if self.supporter_id and self.supporter_id == self.supported_id:
            errors["supported"] = "A school cannot support itself."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The support cannot end before it starts."
        if not (self.purpose or "").strip():
            errors["purpose"] = "Say what the support is for."
        _same_partnership(errors, self, "supporter", "supported")
        if errors:
            raise ValidationError(errors)


class StrategicPartnerGrant(TenantModel):
    """What the partnership lets one strategic partner (a diocese, a teaching school hub) see of one school."""

    constraint_messages = {
        "one_open_grant_per_school": "This partner can already see the school: end that grant before starting another.",
    }

    class Access(models.TextChoices):
        FULL = "full", "Full data"
        HEADLINE = "headline", "Headline only"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="partner_grants")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="partner_grants")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.FULL)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        db_table = "partnership_strategicpartnergrant"
        ordering = ["membership", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "school"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_grant_per_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} may see {self.school} ({self.get_access_display().lower()})"

    def is_active_on(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def clean(self) -> None:
        from partnership.roles import Role

        errors: dict = {}
        if self.membership_id and self.membership.role != Role.PARTNER:
            errors["membership"] = "Grants are for strategic partners; other roles follow the memorandum."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The grant cannot end before it starts."
        if not (self.reason or "").strip():
            errors["reason"] = "Say why the partnership shares this school's data with the partner."
        _same_partnership(errors, self, "membership", "school")
        if errors:
            raise ValidationError(errors)


class ConcernRegisterEntry(TenantModel):
    """A school on the Schools Causing Concern register. Entries for reasons other than an Ofsted
    judgement stay confidential to the LA and the school until a formal warning notice is issued."""

    class ReasonKind(models.TextChoices):
        OFSTED = "ofsted", "Ofsted judgement less than good"
        OTHER = "other", "Other concern (confidential)"
        CATEGORISATION = "categorisation", "Confirmed categorisation (confidential)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="concern_entries")
    reason_kind = models.CharField(max_length=20, choices=ReasonKind.choices)
    reason = models.TextField()
    added_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_on = models.DateField(null=True, blank=True)
    warning_notice_issued_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "partnership_concernregisterentry"
        ordering = ["-added_on", "-id"]
        verbose_name_plural = "concern register entries"

    def __str__(self) -> str:
        return f"{self.school} on the concern register ({self.get_reason_kind_display().lower()})"

    @property
    def is_confidential(self) -> bool:
        """Any reason but an Ofsted judgement stays confidential until a formal warning notice (DOMAIN 8)."""
        return self.reason_kind != self.ReasonKind.OFSTED and self.warning_notice_issued_on is None

    @property
    def is_open(self) -> bool:
        return self.removed_on is None

    def clean(self) -> None:
        errors: dict = {}
        if not (self.reason or "").strip():
            errors["reason"] = "Say why the school is on the register."
        if self.added_on and self.removed_on and self.removed_on < self.added_on:
            errors["removed_on"] = "The entry cannot be removed before it was added."
        today = timezone.localdate()
        if self.added_on and self.added_on > today:
            errors["added_on"] = "The date the school was put on the register cannot be in the future."
        if self.warning_notice_issued_on:
            if self.warning_notice_issued_on > today:
                errors["warning_notice_issued_on"] = "The notice's date cannot be in the future."
            elif self.added_on and self.warning_notice_issued_on < self.added_on:
                errors["warning_notice_issued_on"] = (
                    "The notice cannot predate the entry: the school was put on the register on "
                    f"{self.added_on:%d/%m/%Y}."
                )
        _same_partnership(errors, self, "school")
        if errors:
            raise ValidationError(errors)


class DataAccessLog(TenantModel):
    """One view of a school's protected data: who, which school, what, when. The data controller reads it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, help_text="Kept if the user goes.")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="data_access_log")
    what = models.CharField(max_length=200)
    because = models.CharField(max_length=300, blank=True, help_text="The sharing rule that allowed the view.")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "partnership_dataaccesslog"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "school", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} viewed {self.what} of {self.school}"

    @property
    def reason(self) -> str:
        """The sentence of ``because``, without the rule's code in front of it: what a page shows."""
        code, sep, sentence = self.because.partition(": ")
        return sentence if sep and code and " " not in code else self.because


class SharingPolicy(TenantModel):
    """One version of a partnership's sharing policy: the choices the sources leave open, which differ
    between partnerships (the **(interpretation)** places of ``partnership.sharing``).

    A change adds a row (who, when, why) and never edits one; the highest version applies and the older
    ones stay readable. A partnership with no row yet has the defaults below, which are the behaviour
    the platform had before policies were data (``SharingPolicy.defaults``, version 0).
    """

    constraint_messages = {
        "one_sharing_policy_per_version": "The partnership already has a sharing policy with this version number.",
    }

    version = models.PositiveIntegerField()
    board_sees_signed = models.BooleanField(
        "Board members see the data of every signed school",
        default=True,
        help_text="The board decides bids and evaluates impact on the shared data.",
    )
    cluster_lead_sees_cluster = models.BooleanField(
        "Cluster leads see the data of their cluster's signed schools",
        default=True,
        help_text="To endorse the cluster's bids and own the cluster plan.",
    )
    cluster_officer_sees_cluster = models.BooleanField(
        "Cluster officers see the data of their cluster's signed schools",
        default=True,
        help_text="A cluster officer may be an LA officer or an outside consultant: they are not treated as LA staff.",
    )
    cluster_includes_associates = models.BooleanField(
        "A cluster's schools include its associate members",
        default=True,
        help_text="When off, cluster leads and cluster officers see only the cluster's full members.",
    )
    unrecorded_is_not_sharing = models.BooleanField(
        "A school with no recorded memorandum answer is treated as not sharing",
        default=True,
        help_text="When off, a school is treated as sharing until it declines (an opt-out partnership).",
    )
    support_to_undecided = models.BooleanField(
        "A support may be granted to a school that has not answered the memorandum",
        default=True,
        help_text="Its headteacher's grant is its consent. When off, only a signed school's data opens to a supporter.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.TextField()

    RULES = (
        "board_sees_signed",
        "cluster_lead_sees_cluster",
        "cluster_officer_sees_cluster",
        "cluster_includes_associates",
        "unrecorded_is_not_sharing",
        "support_to_undecided",
    )

    class Meta:
        db_table = "partnership_sharingpolicy"
        ordering = ["-version"]
        verbose_name_plural = "sharing policies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="one_sharing_policy_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} sharing policy, {self.label}"

    @classmethod
    def defaults(cls, partnership: Partnership) -> "SharingPolicy":
        """The policy of a partnership that never changed it: version 0, not saved."""
        return cls(partnership=partnership, version=0, reason="The platform's defaults.")

    @property
    def label(self) -> str:
        return f"version {self.version}" if self.version else "the defaults"

    def values(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in self.RULES}

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Say why the policy changes: it is kept with the version."})


# django-guardian object grants on schools, in direct foreign-key tables (fast joins, real integrity).
class SchoolUserObjectPermission(UserObjectPermissionBase):
    """One person's grant on one school, as the sharing rules decided it, with the rule that grants it and
    its sentence (``sharing.rules.Access``): what every exit reads (``sharing.grants``)."""

    content_object = models.ForeignKey(School, on_delete=models.CASCADE)
    rule = models.CharField(max_length=40, blank=True, help_text="The sharing rule that grants it.")
    sentence = models.TextField(blank=True, help_text="The rule's reason, in words.")

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "schools_schooluserobjectpermission"


class SchoolGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "schools_schoolgroupobjectpermission"
