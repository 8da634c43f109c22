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

from partnership.models import TenantModel

from .engine import FrameworkError, validate_framework


class Framework(TenantModel):
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
