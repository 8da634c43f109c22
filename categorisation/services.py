"""Writes for categorisation frameworks. Each takes a keyword-only actor and audits itself.

Cloning a shipped framework gives the partnership its own framework with version 1 published.
Editing (or importing over an existing slug) makes or updates the one draft; publishing turns the
draft into the next numbered version. Published versions are never changed.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.audit import audit_record, snapshot
from partnership.models import Partnership
from partnership.roles import PLATFORM_ADMIN, Decision, Role
from partnership.services import actor_roles

from .engine import FrameworkError, validate_framework
from .models import Framework, FrameworkVersion
from .selectors import draft_version
from .shipped import load_shipped, shipped_slugs

FRAMEWORK_FIELDS = ("slug", "name", "source_slug")
VERSION_FIELDS = ("framework", "number", "status", "definition", "published_at", "published_by", "publish_reason")
FRAMEWORK_MANAGERS = frozenset({PLATFORM_ADMIN, Role.OFFICER})


def can_manage_frameworks(roles) -> Decision:
    if FRAMEWORK_MANAGERS & set(roles):
        return True, "LA officers manage their partnership's categorisation frameworks."
    return False, "Only an LA officer of this partnership can change its categorisation frameworks."


def _require_manager(actor, partnership: Partnership) -> None:
    allowed, reason = can_manage_frameworks(actor_roles(actor, partnership))
    if not allowed:
        raise PermissionDenied(reason)


def _checked(definition, slug: str) -> dict:
    if not isinstance(definition, dict):
        raise ValidationError({"definition": ["A framework must be a JSON object."]})
    definition = copy.deepcopy(definition)
    definition["slug"] = slug
    try:
        validate_framework(definition)
    except FrameworkError as exc:
        raise ValidationError({"definition": exc.errors}) from None
    return definition


def _create_framework(*, actor, partnership, slug, name, source_slug, reason) -> Framework:
    framework = Framework(partnership=partnership, slug=slug, name=name, source_slug=source_slug,
                          created_by=actor if actor is not None and actor.pk else None)
    framework.full_clean()
    framework.save()
    audit_record(actor=actor, partnership=partnership, obj=framework, action="framework.create",
                 after=snapshot(framework, FRAMEWORK_FIELDS), reason=reason)
    return framework


@transaction.atomic
def framework_clone(
    *, actor, partnership: Partnership, source_slug: str, slug: str = "", name: str = "", reason: str = ""
) -> Framework:
    """Copy a shipped framework into the partnership, published as version 1."""
    _require_manager(actor, partnership)
    try:
        shipped = load_shipped(source_slug)
    except KeyError:
        raise ValidationError(
            {"source_slug": f"No shipped framework {source_slug!r}: choose one of {', '.join(shipped_slugs())}."}
        ) from None
    slug = slug or source_slug
    definition = _checked({**shipped, "name": name or shipped["name"]}, slug)
    framework = _create_framework(actor=actor, partnership=partnership, slug=slug, name=definition["name"],
                                  source_slug=source_slug, reason=reason or f"Cloned from {source_slug}.")
    version = FrameworkVersion(
        partnership=partnership, framework=framework, number=1, status=FrameworkVersion.Status.PUBLISHED,
        definition=definition, created_by=framework.created_by, published_at=timezone.now(),
        published_by=framework.created_by, publish_reason=f"Cloned from the shipped framework {source_slug}.",
    )
    version.full_clean()
    version.save()
    audit_record(actor=actor, partnership=partnership, obj=version, action="framework.publish",
                 after=snapshot(version, VERSION_FIELDS), reason=version.publish_reason)
    return framework


@transaction.atomic
def framework_edit(*, actor, framework: Framework, definition: dict, reason: str = "") -> FrameworkVersion:
    """Save an edited definition as the framework's draft (creating the draft if there is none)."""
    _require_manager(actor, framework.partnership)
    definition = _checked(definition, framework.slug)
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    draft = draft_version(framework)
    if draft is None:
        draft = FrameworkVersion(partnership=framework.partnership, framework=framework, definition=definition,
                                 created_by=actor if actor is not None and actor.pk else None)
        before = None
        draft.full_clean()
        draft.save()
    else:
        before = snapshot(draft, VERSION_FIELDS)
        draft.definition = definition
        draft.full_clean()
        draft.save(update_fields=["definition", "updated_at"])
    audit_record(actor=actor, partnership=framework.partnership, obj=draft, action="framework.edit",
                 before=before, after=snapshot(draft, VERSION_FIELDS), reason=reason)
    return draft


@transaction.atomic
def framework_publish(*, actor, framework: Framework, reason: str) -> FrameworkVersion:
    """Publish the draft as the next version number. Earlier versions stay as they were."""
    _require_manager(actor, framework.partnership)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this version is published."})
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    draft = draft_version(framework)
    if draft is None:
        raise ValidationError("There is no draft to publish: edit the framework first.")
    before = snapshot(draft, VERSION_FIELDS)
    last = FrameworkVersion.objects.for_partnership(framework.partnership).filter(framework=framework).aggregate(
        n=Max("number"))["n"] or 0
    draft.number = last + 1
    draft.status = FrameworkVersion.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = actor if actor is not None and actor.pk else None
    draft.publish_reason = reason
    draft.full_clean()
    draft.save(update_fields=["number", "status", "published_at", "published_by", "publish_reason", "updated_at"])
    audit_record(actor=actor, partnership=framework.partnership, obj=draft, action="framework.publish",
                 before=before, after=snapshot(draft, VERSION_FIELDS), reason=reason)
    name = draft.definition.get("name", framework.name)
    if name != framework.name:
        framework_before = snapshot(framework, FRAMEWORK_FIELDS)
        framework.name = name
        framework.full_clean()
        framework.save(update_fields=["name"])
        audit_record(actor=actor, partnership=framework.partnership, obj=framework, action="framework.rename",
                     before=framework_before, after=snapshot(framework, FRAMEWORK_FIELDS), reason=reason)
    return draft


@transaction.atomic
def framework_import(*, actor, partnership: Partnership, data: dict, reason: str = "") -> FrameworkVersion:
    """Import an exported framework as a draft: of the framework with its slug, or of a new framework."""
    _require_manager(actor, partnership)
    if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
        raise ValidationError({"definition": ["A framework must be a JSON object with a slug."]})
    definition = _checked(data, data["slug"])
    framework = Framework.objects.for_partnership(partnership).filter(slug=definition["slug"]).first()
    if framework is None:
        framework = _create_framework(actor=actor, partnership=partnership, slug=definition["slug"],
                                      name=definition["name"], source_slug="", reason=reason or "Imported.")
    return framework_edit(actor=actor, framework=framework, definition=definition, reason=reason or "Imported.")
