from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from partnership.models import TenantModel


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all-through", "All-through"
    SPECIAL = "special", "Special"
    AP = "ap", "Alternative provision"
    SIXTEEN_PLUS = "16-plus", "16 plus"
    OTHER = "other", "Other"


class SchoolType(models.TextChoices):
    MAINTAINED = "maintained", "Maintained"
    ACADEMY = "academy", "Academy"
    FREE_SCHOOL = "free", "Free school"
    SPECIAL = "special", "Special"
    AP = "ap", "Alternative provision"
    OTHER = "other", "Other"


class School(TenantModel):
    urn = models.CharField("URN", max_length=10, help_text="The DfE unique reference number.")
    name = models.CharField(max_length=200)
    la_code = models.CharField("LA code", max_length=3)
    establishment_number = models.CharField(max_length=4, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PRIMARY)
    school_type = models.CharField(max_length=20, choices=SchoolType.choices, default=SchoolType.MAINTAINED)
    type_detail = models.CharField(max_length=100, blank=True, help_text="The DfE type of establishment.")
    status = models.CharField(max_length=40, default="Open")
    age_low = models.PositiveSmallIntegerField(null=True, blank=True)
    age_high = models.PositiveSmallIntegerField(null=True, blank=True)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    fsm_pct = models.DecimalField("FSM %", max_digits=5, decimal_places=1, null=True, blank=True)
    trust_name = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "urn"], name="school_urn_unique_in_partnership")]

    def __str__(self) -> str:
        return self.name


class Cluster(TenantModel):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="cluster_slug_unique_in_partnership")]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(TenantModel):
    """A school is a full member of at most one cluster and may be an associate of others."""

    class Kind(models.TextChoices):
        FULL = "full", "Full member"
        ASSOCIATE = "associate", "Associate member"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cluster_memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)

    class Meta:
        ordering = ["cluster", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "school"], name="one_membership_per_cluster"),
            models.UniqueConstraint(
                fields=["partnership", "school"], condition=models.Q(kind="full"), name="one_full_cluster_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.cluster} ({self.get_kind_display().lower()})"


# django-guardian object grants on schools, in direct foreign-key tables (fast joins, real integrity).
class SchoolUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE)


class SchoolGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(School, on_delete=models.CASCADE)
