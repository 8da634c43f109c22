import posixpath
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import get_valid_filename

from partnership.models import TenantModel, validate_academic_year


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


# The valid range of each measure, and what it is in words: a value outside it is a mistake in the file (a
# percentage of 150, a progress score of 500), refused on import with its row and column and by full_clean.
# The ranges hold every value in the DfE's published files with room to spare.
PERCENT = (Decimal(0), Decimal(100), "a percentage")
MEASURE_RANGES: dict[str, tuple[Decimal, Decimal, str]] = {
    "fsm_pct": PERCENT,
    "eyfs_gld_pct": PERCENT,
    "phonics_pct": PERCENT,
    "ks2_rwm_expected_pct": PERCENT,
    "ks2_rwm_high_pct": PERCENT,
    "ks2_progress_reading": (Decimal(-40), Decimal(40), "a KS2 progress score"),
    "ks2_progress_writing": (Decimal(-40), Decimal(40), "a KS2 progress score"),
    "ks2_progress_maths": (Decimal(-40), Decimal(40), "a KS2 progress score"),
    "attainment8": (Decimal(0), Decimal(90), "an Attainment 8 score"),
    "progress8": (Decimal(-10), Decimal(10), "a Progress 8 score"),
    "p8_ci_lower": (Decimal(-10), Decimal(10), "a Progress 8 confidence limit"),
    "p8_ci_upper": (Decimal(-10), Decimal(10), "a Progress 8 confidence limit"),
    "ks4_basics_95_pct": PERCENT,
    "attendance_pct": PERCENT,
    "persistent_absence_pct": PERCENT,
    "suspensions_rate": (Decimal(0), Decimal(1000), "a number of suspensions per 100 pupils"),
}


def out_of_range(field: str, value) -> str:
    """Why ``value`` cannot be ``field``'s, or "" when it can (or the field has no range)."""
    if value is None or field not in MEASURE_RANGES:
        return ""
    low, high, what = MEASURE_RANGES[field]
    if low <= value <= high:
        return ""
    return f"is {value:f}, but {what} lies between {low} and {high}"


class MeasureRange:
    """The model side of MEASURE_RANGES: one validator per field, so every write path checks the same range."""

    def __init__(self, field: str):
        self.field = field

    def __call__(self, value):
        problem = out_of_range(self.field, value)
        if problem:
            raise ValidationError(f"The value {problem}.", code="out_of_range")

    def __eq__(self, other):
        return isinstance(other, MeasureRange) and other.field == self.field

    def deconstruct(self):
        return ("schools.models.MeasureRange", (self.field,), {})


class School(TenantModel):
    constraint_messages = {
        "school_urn_unique_in_partnership": "The partnership already has a school with this URN.",
    }

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
    fsm_pct = models.DecimalField(
        "FSM %", max_digits=5, decimal_places=1, null=True, blank=True, validators=[MeasureRange("fsm_pct")]
    )
    trust_name = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "urn"], name="school_urn_unique_in_partnership")]

    def __str__(self) -> str:
        return self.name


# A school's own data fields (besides its URN): what GIAS gives, what imports create and update, what the API shows.
SCHOOL_DATA_FIELDS = (
    "name",
    "la_code",
    "establishment_number",
    "phase",
    "school_type",
    "type_detail",
    "status",
    "age_low",
    "age_high",
    "pupils",
    "capacity",
    "fsm_pct",
    "trust_name",
    "postcode",
)


class Cluster(TenantModel):
    constraint_messages = {
        "cluster_slug_unique_in_partnership": (
            "The partnership already has a cluster with this short name: choose another."
        ),
    }

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="cluster_slug_unique_in_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(TenantModel):
    """A school is a full member of at most one cluster and may be an associate of others."""

    constraint_messages = {
        "one_membership_per_cluster": "The school is already a member of this cluster.",
        "one_full_cluster_per_school": (
            "The school is already a full member of another cluster: a school is a full member of one cluster only."
        ),
    }

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


# Year groups as the school census counts them, nursery to sixth form.
YEAR_GROUPS = ("N", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13")


class PupilCount(TenantModel):
    """How many pupils a school had in one year group, by a named count (such as the October census) on a
    date: what per-pupil funding formulas read."""

    constraint_messages = {
        "one_pupil_count_per_school_source_year_group": (
            "This count already has a figure for that year group of the school."
        ),
        "pupil_count_year_group_known": "Give a year group from nursery (N) and reception (R) to 13.",
    }

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupil_counts")
    source = models.CharField(max_length=100, help_text="The count's name, such as 'October 2022 census'.")
    counted_on = models.DateField()
    year_group = models.CharField(max_length=2)
    pupils = models.PositiveIntegerField()

    class Meta:
        ordering = ["school", "source", "counted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source", "counted_on", "year_group"],
                name="one_pupil_count_per_school_source_year_group",
            ),
            models.CheckConstraint(condition=models.Q(year_group__in=YEAR_GROUPS), name="pupil_count_year_group_known"),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.pupils} in year {self.year_group} ({self.source}, {self.counted_on})"


class Grade(models.IntegerChoices):
    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


class Inspection(TenantModel):
    """One Ofsted inspection of a school: the history, not just the latest judgement."""

    constraint_messages = {
        "one_inspection_per_school_per_day": "The school already has an inspection on this date.",
    }

    class Type(models.TextChoices):
        S5 = "s5", "Section 5 (graded)"
        S8 = "s8", "Section 8 (ungraded)"
        OTHER = "other", "Other"
        UNKNOWN = "", "Not recorded"

    class Category(models.TextChoices):
        NONE = "", "None"
        SERIOUS_WEAKNESSES = "SW", "Serious weaknesses"
        SPECIAL_MEASURES = "SM", "Special measures"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="inspections")
    inspection_date = models.DateField()
    inspection_type = models.CharField(max_length=5, choices=Type.choices, blank=True, default="")
    overall_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    leadership_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    safeguarding_effective = models.BooleanField(null=True, blank=True)
    category = models.CharField(max_length=2, choices=Category.choices, blank=True, default="")
    source = models.CharField(max_length=200, blank=True, help_text="The file this row was imported from.")

    class Meta:
        ordering = ["school", "-inspection_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "inspection_date"], name="one_inspection_per_school_per_day")
        ]
        indexes = [models.Index(fields=["partnership", "school", "-inspection_date"])]

    def __str__(self) -> str:
        grade = self.get_overall_grade_display() if self.overall_grade else "ungraded"
        return f"{self.school} inspected {self.inspection_date:%d %b %Y}: {grade}"


def _measure(verbose_name: str, field: str, digits: int = 7, places: int = 2):
    return models.DecimalField(
        verbose_name,
        max_digits=digits,
        decimal_places=places,
        null=True,
        blank=True,
        validators=[MeasureRange(field)],
    )


# The measures of a school's (or an LA's, a region's, England's) year; null where not published or suppressed.
MEASURE_FIELDS = (
    "eyfs_gld_pct",
    "phonics_pct",
    "ks2_pupils",
    "ks2_rwm_expected_pct",
    "ks2_rwm_high_pct",
    "ks2_progress_reading",
    "ks2_progress_writing",
    "ks2_progress_maths",
    "ks4_pupils",
    "attainment8",
    "progress8",
    "p8_ci_lower",
    "p8_ci_upper",
    "ks4_basics_95_pct",
    "attendance_pct",
    "persistent_absence_pct",
    "suspensions_rate",
    "permanent_exclusions",
)


class Measures(models.Model):
    eyfs_gld_pct = _measure("EYFS good level of development %", "eyfs_gld_pct")
    phonics_pct = _measure("Year 1 phonics expected standard %", "phonics_pct")
    ks2_pupils = models.PositiveIntegerField("KS2 eligible pupils", null=True, blank=True)
    ks2_rwm_expected_pct = _measure("KS2 RWM expected standard % (PTRWM_EXP)", "ks2_rwm_expected_pct")
    ks2_rwm_high_pct = _measure("KS2 RWM higher standard % (PTRWM_HIGH)", "ks2_rwm_high_pct")
    ks2_progress_reading = _measure("KS2 reading progress (READPROG)", "ks2_progress_reading")
    ks2_progress_writing = _measure("KS2 writing progress (WRITPROG)", "ks2_progress_writing")
    ks2_progress_maths = _measure("KS2 maths progress (MATPROG)", "ks2_progress_maths")
    ks4_pupils = models.PositiveIntegerField("KS4 pupils at the end of KS4", null=True, blank=True)
    attainment8 = _measure("Attainment 8 (ATT8SCR)", "attainment8")
    progress8 = _measure("Progress 8 (P8MEA)", "progress8")
    p8_ci_lower = _measure("Progress 8 95% confidence interval, lower (P8CILOW)", "p8_ci_lower")
    p8_ci_upper = _measure("Progress 8 95% confidence interval, upper (P8CIUPP)", "p8_ci_upper")
    ks4_basics_95_pct = _measure("English and maths grade 5 or above % (PTL2BASICS_95)", "ks4_basics_95_pct")
    attendance_pct = _measure("Attendance %", "attendance_pct")
    persistent_absence_pct = _measure("Persistent absence %", "persistent_absence_pct")
    suspensions_rate = _measure("Suspensions per 100 pupils", "suspensions_rate")
    permanent_exclusions = models.PositiveIntegerField("Permanent exclusions", null=True, blank=True)
    source = models.TextField(blank=True, help_text="Which files the measures came from, one 'kind: file' per line.")

    class Meta:
        abstract = True


class PerformanceResult(TenantModel, Measures):
    """A school's published results for one academic year."""

    constraint_messages = {
        "one_result_per_school_per_year": "The school already has results for this year.",
    }

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="results")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])

    class Meta:
        ordering = ["school", "academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_result_per_school_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.academic_year}"


class Benchmark(TenantModel, Measures):
    """The LA, regional and England rows of the performance tables, for "below national" comparisons."""

    constraint_messages = {
        "one_benchmark_per_level_code_year": "There is already a comparison figure for this area and year.",
    }

    class Level(models.TextChoices):
        LA = "la", "Local authority"
        REGION = "region", "Region"
        ENGLAND_ALL = "england-all", "England (all schools)"
        ENGLAND_STATE = "england-state", "England (state-funded schools)"

    level = models.CharField(max_length=15, choices=Level.choices)
    code = models.CharField(max_length=10, help_text="The LA code, region code, or E92000001 for England.")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])

    class Meta:
        ordering = ["academic_year", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "level", "code", "academic_year"], name="one_benchmark_per_level_code_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.code} {self.academic_year}"


class SchoolLink(TenantModel):
    """A GIAS establishment link: a predecessor or successor URN, so trends follow a school across conversion."""

    constraint_messages = {
        "one_link_per_school_urn_type": "The school already has this link to that URN.",
    }

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="links")
    linked_urn = models.CharField(max_length=10)
    linked_name = models.CharField(max_length=200, blank=True)
    link_type = models.CharField(max_length=60)
    established = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "link_type", "linked_urn"]
        constraints = [
            models.UniqueConstraint(fields=["school", "linked_urn", "link_type"], name="one_link_per_school_urn_type")
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.link_type} {self.linked_urn}"


class LocalIndicator(TenantModel):
    """The LA's own judgements of a school for a year, from the local data CSV template."""

    constraint_messages = {
        "one_local_indicator_per_school_year": "The school already has local data for this year.",
    }

    # The values are the categorisation fact vocabulary's (categorisation/engine/facts.py).
    class OutwardFacing(models.TextChoices):
        FULLY = "fully", "Fully outward facing"
        PARTLY = "partly", "Partly outward facing"
        NOT_ENGAGED = "not_engaged", "Does not engage"

    class Finance(models.TextChoices):
        NONE = "none", "No concern"
        CONCERN = "concern", "Concern"
        SERIOUS = "serious", "Serious concern"

    class TeachingQuality(models.TextChoices):
        CONSISTENTLY_GOOD = "consistently_good", "Consistently good"
        NOT_CONSISTENTLY_GOOD = "not_consistently_good", "Not consistently good"
        INSUFFICIENT_GOOD = "insufficient_good", "Insufficient good teaching"

    class LeadershipGovernance(models.TextChoices):
        EFFECTIVE = "effective", "Effective"
        NOT_CONSISTENTLY_EFFECTIVE = "not_consistently_effective", "Not consistently effective"
        INEFFECTIVE = "ineffective", "Ineffective"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="local_indicators")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    self_evaluation_grade = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True, help_text="The grade the school's self-evaluation claims."
    )
    sef_validated_grade = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True, help_text="The self-evaluation grade as validated by the LA."
    )
    finance_concern = models.CharField(max_length=10, choices=Finance.choices, blank=True)
    complaints = models.PositiveIntegerField(null=True, blank=True)
    outward_facing = models.CharField(max_length=12, choices=OutwardFacing.choices, blank=True)
    # The officers' evidence-based judgements; blank or null where not made.
    teaching_quality = models.CharField(
        max_length=24, choices=TeachingQuality.choices, blank=True, help_text="Quality of teaching over time."
    )
    leadership_governance = models.CharField(
        max_length=30,
        choices=LeadershipGovernance.choices,
        blank=True,
        help_text="Leadership and management at all levels, including governance.",
    )
    likely_next_ofsted_grade = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True, help_text="The LA's view of the likely next Ofsted grade."
    )
    behaviour_concern = models.BooleanField(null=True, blank=True, help_text="Significant concerns about behaviour.")
    self_evaluation_accurate = models.BooleanField(
        null=True, blank=True, help_text="The school's self-evaluation is accurate."
    )
    judged_securely_good = models.BooleanField(
        null=True, blank=True, help_text="Judged securely good or outstanding by both the school and the partnership."
    )
    recent_s8_with_priorities = models.BooleanField(
        null=True,
        blank=True,
        help_text="Recently inspected under section 8 with priorities for improvement and a section 5 proposed.",
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["school", "academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="one_local_indicator_per_school_year")
        ]

    def __str__(self) -> str:
        return f"Local data for {self.school} {self.academic_year}"


def import_file_path(run: "ImportRun", filename: str) -> str:
    """Where an upload is kept in the storage: one folder per partnership and per import, under the
    file's own base name made safe (never a path the uploader chose)."""
    base = posixpath.basename((filename or "").replace("\\", "/")).strip()
    name = get_valid_filename(base) if base not in {"", ".", ".."} else "upload"
    return f"imports/{run.partnership_id}/{run.uuid}/{name}"


class ImportRun(TenantModel):
    """One upload of a data file: who imported what, its preview, its progress and its outcome.

    The file itself lives in Django's storage (local disk by default, any django-storages backend in
    production), never served directly: only the import pages read it."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Checking the file"
        PREVIEWED = "previewed", "Ready to apply"
        REJECTED = "rejected", "Has errors: nothing changed"
        QUEUED = "queued", "Waiting to apply"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed: nothing changed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=import_file_path, max_length=400, help_text="The uploaded file as received.")
    academic_year = models.CharField(max_length=7, blank=True, validators=[validate_academic_year])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWING)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename}"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.PREVIEWING, self.Status.QUEUED, self.Status.APPLYING}

    def read(self) -> bytes:
        """The uploaded file's bytes, from the storage."""
        with self.file.open("rb") as handle:
            return handle.read()
