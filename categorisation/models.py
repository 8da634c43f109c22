"""Categorisation frameworks as data, versioned per partnership.

A partnership's Framework is cloned from a shipped framework (categorisation/frameworks/*.json) or
imported from JSON. Its definition lives in FrameworkVersion rows: editing makes (or updates) the one
draft; publishing turns the draft into the next numbered version, which is never changed again, so a
result can keep the version that produced it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from partnership.models import Partnership, TenantModel, validate_academic_year

from .engine import FrameworkError, validate_framework


class Framework(TenantModel):
    constraint_messages = {
        "framework_slug_unique_in_partnership": (
            "The partnership already has a framework with this short name: choose another."
        ),
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    source_slug = models.SlugField(
        max_length=60, blank=True, help_text="The shipped framework this one was cloned from, if any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="framework_slug_unique_in_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class FrameworkVersion(TenantModel):
    constraint_messages = {
        "framework_version_number_unique": "This framework already has a version with this number.",
        "framework_one_draft": "This framework already has a draft: carry on with it, or discard it first.",
        "framework_version_number_iff_published": (
            "A draft has no version number; a published version has a number and a publication date."
        ),
    }

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(null=True, blank=True, help_text="Given on publishing: 1, 2, 3 ...")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(help_text="The framework as JSON: see categorisation/FACTS.md.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=models.Q(status="draft"), name="framework_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", number__isnull=True)
                | models.Q(status="published", number__isnull=False, published_at__isnull=False),
                name="framework_version_number_iff_published",
            ),
        ]

    def __str__(self) -> str:
        label = f"v{self.number}" if self.number else "draft"
        return f"{self.framework.name} {label}"

    def clean(self) -> None:
        errors = {}
        if self.framework_id and self.partnership_id and self.framework.partnership_id != self.partnership_id:
            errors["framework"] = "That framework belongs to another partnership."
        try:
            validate_framework(self.definition)
        except FrameworkError as exc:
            errors["definition"] = exc.errors
        if errors:
            raise ValidationError(errors)


# ---- runs, results, self-assessment, moderation and letters --------------------------------------


class Run(TenantModel):
    """One categorisation of every school of the partnership for an academic year with one version.

    ``attempt`` grows each time the run is (re)queued; a result written in the current attempt is not
    computed again, so a run that stopped half way resumes where it stopped.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Categorising"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Letters(models.TextChoices):
        NONE = "", "Not yet"
        QUEUED = "queued", "Waiting to be written"
        RENDERING = "rendering", "Being written"
        DONE = "done", "Written"
        FAILED = "failed", "Failed"

    class Confirming(models.TextChoices):
        NONE = "", "Not yet"
        QUEUED = "queued", "Waiting to be confirmed"
        CONFIRMING = "confirming", "Being confirmed"
        DONE = "done", "Confirmed"
        FAILED = "failed", "Confirming stopped"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="runs")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempt = models.PositiveIntegerField(default=1)
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last progress written by the worker.")
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Confirming is asked for by an officer (who, when, why) and done by a task, batch by batch: confirmed_at
    # is set only once every result is confirmed and the register entries are made.
    confirm_status = models.CharField(max_length=10, choices=Confirming.choices, blank=True, default=Confirming.NONE)
    confirm_requested_at = models.DateTimeField(null=True, blank=True)
    confirm_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirm_note = models.TextField(blank=True, help_text="What the officer who confirmed noted for the record.")
    confirm_total = models.PositiveIntegerField(default=0)
    confirm_done = models.PositiveIntegerField(default=0)
    confirm_heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When confirming was queued, claimed or last confirmed a batch."
    )
    confirm_error = models.TextField(blank=True, help_text="Why confirming last stopped.")
    letters_status = models.CharField(max_length=10, choices=Letters.choices, blank=True, default=Letters.NONE)
    letters_heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker writing the letters last wrote one (or claimed the work)."
    )
    letters_error = models.TextField(blank=True, help_text="Why writing the letters last stopped.")
    start_reason = models.TextField(
        blank=True, help_text="Why the year was run again: asked for when it already had confirmed results."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.TextField(blank=True)
    self_assessment_due = models.DateField(
        "self-assessments due by",
        null=True,
        blank=True,
        help_text="The date by which schools submit their self-assessment; set by the LA.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Categorisation {self.academic_year} with {self.framework_version}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done_count / self.total) if self.total else 0

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_confirming(self) -> bool:
        """An officer confirmed it and the task has not finished fixing the categories."""
        return self.confirm_status in (self.Confirming.QUEUED, self.Confirming.CONFIRMING)

    def clean(self) -> None:
        if self.framework_version_id and self.partnership_id:
            if self.framework_version.partnership_id != self.partnership_id:
                raise ValidationError({"framework_version": "That framework belongs to another partnership."})
            if self.framework_version.status != FrameworkVersion.Status.PUBLISHED:
                raise ValidationError({"framework_version": "Only a published version can categorise schools."})


class Result(TenantModel):
    """A school's category in a run: the computed one, why, and what moderation made of it."""

    constraint_messages = {
        "one_result_per_school_per_run": "This run already has a result for the school.",
    }

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        FLAGGED = "flagged", "Flagged for discussion"
        AGREED = "agreed", "Agreed"
        CONFIRMED = "confirmed", "Confirmed"

    # A run writes a row per school of the country: no index that another already serves. Lookups by
    # partnership use the (partnership, school, academic_year) index, lookups by run the (run, school) one.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+", db_index=False)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results", db_index=False)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="categorisations")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    computed_category = models.CharField(max_length=20, null=True, blank=True)
    tib = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)
    criteria_met = models.JSONField(default=list, blank=True, help_text="Each criterion that held, with its values.")
    missing = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text="The data the category was computed from.")
    attempt = models.PositiveIntegerField(default=1)
    computed_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROVISIONAL)
    final_category = models.CharField(max_length=20, blank=True)
    override_reason = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["run", "school"], name="one_result_per_school_per_run")]
        indexes = [models.Index(fields=["partnership", "school", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.school} {self.academic_year}: {self.category or 'no category'}"

    @property
    def category(self) -> str | None:
        """The final category when moderation gave one, else the computed one."""
        return self.final_category or self.computed_category

    @property
    def is_override(self) -> bool:
        return bool(self.final_category) and self.final_category != self.computed_category


class SelfAssessment(TenantModel):
    """The school's own category for a year under a framework, with its evidence per criterion and, under a
    decision table, per fact the table reads (``runs.self_assessment_items``).

    A draft is the headteacher's work in progress: only the school's own people see it, and everything
    else (the reveal of the LA's category, flags, counts of schools not self-assessed) treats it as not
    submitted. ``submitted_at`` is set when it is submitted; ``saved_at`` whenever it is saved."""

    constraint_messages = {
        "one_self_assessment_per_school_year": (
            "The school has already self-assessed for this year under this framework: change that self-assessment "
            "instead."
        ),
    }

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="self_assessments")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="self_assessments")
    academic_year = models.CharField(max_length=7, validators=[validate_academic_year])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    category = models.CharField(max_length=20, blank=True)
    evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text="criterion id, or fact:<name> for a decision table's input: the school's evidence",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True, help_text="When it was last saved, draft or submitted.")

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "school", "academic_year"], name="one_self_assessment_per_school_year"
            )
        ]

    def __str__(self) -> str:
        draft = " (draft)" if self.status == self.Status.DRAFT else ""
        return f"Self-assessment of {self.school} {self.academic_year}: {self.category or 'no category'}{draft}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def clean(self) -> None:
        if self.status == self.Status.SUBMITTED and not self.category:
            raise ValidationError({"category": "Choose the category you think fits."})


class ModerationNote(TenantModel):
    """The record of an officer's discussion with the school, and the category agreed."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="moderation_notes")
    note = models.TextField()
    agreed_category = models.CharField(max_length=20)
    override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Moderation of {self.result}: {self.agreed_category}"


class LetterTemplate(TenantModel):
    """One version of what a partnership's categorisation letters say around the result: the opening, what
    happens next (for every category, or for one), who to contact and who signs. Officers edit it at
    /p/<slug>/categorisation/letter-template/; a change adds a version (who, when, why) and never edits one,
    and the highest version is the one letters use. A partnership that never edited it has the shipped
    wording below (``LetterTemplate.defaults``, version 0). The texts may use the placeholders of
    ``categorisation.placeholders`` and nothing else."""

    constraint_messages = {
        "one_letter_template_per_version": "The partnership's letter wording already has a version with this number.",
    }

    TEXTS = ("opening", "next_steps", "contact")
    DEFAULTS = {
        "opening": (
            "We are writing to tell you the category of {school} for {year} in the school improvement framework of "
            "{partnership}. The category says how much support the partnership will offer the school this year."
        ),
        "next_steps": (
            "Your School Effectiveness Officer will contact you within the next few weeks to agree the support the "
            "school will receive and to arrange their first visit. The category is reviewed each term."
        ),
        "contact": (
            "If you have any questions about this letter or the category, please contact your School Effectiveness "
            "Officer, or the school improvement team of {partnership}."
        ),
        "signatory_role": "Head of School Improvement",
        "signatory_name": "",
    }

    version = models.PositiveIntegerField()
    opening = models.TextField("opening paragraph", help_text="The letter's first paragraph, after the addressees.")
    next_steps = models.TextField(
        "what happens next", help_text="What happens next, for every category without a paragraph of its own."
    )
    next_steps_by_category = models.JSONField(
        "what happens next, by category",
        default=dict,
        blank=True,
        help_text="category code: what happens next for a school in that category, in place of the general paragraph.",
    )
    contact = models.TextField("who to contact", help_text="Who the school contacts with questions, and how.")
    signatory_role = models.CharField(
        "signed by (role)",
        max_length=120,
        help_text="The role of the officer who signs, e.g. Head of School Improvement.",
    )
    signatory_name = models.CharField(
        "signed by (name)", max_length=120, blank=True, help_text="Their name; leave blank to sign with the role only."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="one_letter_template_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} letter wording, {self.label}"

    @classmethod
    def defaults(cls, partnership: Partnership) -> "LetterTemplate":
        """The wording of a partnership that never edited it: version 0, not saved."""
        return cls(partnership=partnership, version=0, reason="The shipped wording.", **cls.DEFAULTS)

    @property
    def label(self) -> str:
        return f"version {self.version}" if self.version else "the shipped wording"

    def values(self) -> dict:
        return {
            **{name: getattr(self, name) for name in (*self.TEXTS, "signatory_role", "signatory_name")},
            "next_steps_by_category": dict(self.next_steps_by_category or {}),
        }

    def next_steps_for(self, category: str | None) -> str:
        own = (self.next_steps_by_category or {}).get(category or "")
        return own if own and own.strip() else self.next_steps

    def clean(self) -> None:
        from .placeholders import placeholder_errors

        errors: dict[str, list[str]] = {}
        for name in self.TEXTS:
            problems = placeholder_errors(getattr(self, name))
            if problems:
                errors[name] = problems
        if not isinstance(self.next_steps_by_category, dict):
            errors["next_steps_by_category"] = ["Give what happens next as category code: paragraph."]
        else:
            for code, text in self.next_steps_by_category.items():
                problems = placeholder_errors(text)
                if problems:
                    errors.setdefault("next_steps_by_category", []).extend(f"{code}: {p}" for p in problems)
        if not (self.signatory_role or "").strip():
            errors["signatory_role"] = ["Say the role of the officer who signs the letters."]
        if not (self.reason or "").strip():
            errors["reason"] = ["Say why the wording changes: it is kept with the version."]
        if errors:
            raise ValidationError(errors)


def letter_file_path(letter: "Letter", filename: str) -> str:
    """Where a letter's PDF is kept in the storage: one folder per partnership."""
    return f"letters/{letter.partnership_id}/{letter.uuid}.pdf"


class Letter(TenantModel):
    """A school's categorisation letter, rendered as PDF once its result is confirmed.

    The PDF lives in Django's storage (local disk by default, any django-storages backend in
    production); pages hand it out only after the sharing rules allow it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    result = models.OneToOneField(Result, on_delete=models.CASCADE, related_name="letter")
    filename = models.CharField(max_length=120)
    file = models.FileField(upload_to=letter_file_path, max_length=200)
    recipients = models.TextField(help_text="One addressee a line.")
    wording = models.ForeignKey(
        LetterTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version of the partnership's letter wording it was written with; none: the shipped wording.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the letter was emailed.")
    sent_to = models.TextField(blank=True, help_text="The addresses it was emailed to, one a line.")
    send_note = models.TextField(blank=True, help_text="Why it was not emailed, for an officer to post it.")

    class Meta:
        ordering = ["filename"]

    def __str__(self) -> str:
        return self.filename

    def read_pdf(self) -> bytes:
        """The letter's PDF, from the storage."""
        with self.file.open("rb") as handle:
            return handle.read()
