"""Reads of categorisation frameworks, always through the partnership."""

from django.db import models
from django.shortcuts import get_object_or_404

from partnership.models import Partnership

from .models import Framework, FrameworkVersion


def framework_list(partnership: Partnership) -> models.QuerySet[Framework]:
    return Framework.objects.for_partnership(partnership)


def get_framework(partnership: Partnership, slug: str) -> Framework:
    """The partnership's framework with this slug; another partnership's is a 404, as a missing one."""
    return get_object_or_404(framework_list(partnership), slug=slug)


def framework_versions(framework: Framework) -> models.QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.for_partnership(framework.partnership).filter(framework=framework)


def published_version(framework: Framework) -> FrameworkVersion | None:
    """The current version: the highest-numbered published one."""
    return (
        framework_versions(framework).filter(status=FrameworkVersion.Status.PUBLISHED).order_by("-number").first()
    )


def draft_version(framework: Framework) -> FrameworkVersion | None:
    return framework_versions(framework).filter(status=FrameworkVersion.Status.DRAFT).first()


def framework_export(framework: Framework, *, number: int | None = None) -> dict:
    """The definition of a published version (the current one by default) as a JSON-ready dict.

    It has the same shape as the shipped files, so it can be imported elsewhere or given to
    ``manage.py categorise --framework-file``.
    """
    versions = framework_versions(framework).filter(status=FrameworkVersion.Status.PUBLISHED)
    version = versions.get(number=number) if number is not None else versions.order_by("-number").first()
    if version is None:
        raise FrameworkVersion.DoesNotExist(f"{framework} has no published version to export.")
    return dict(version.definition)
