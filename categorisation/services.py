"""Writes for categorisation frameworks. Each takes a keyword-only actor and audits itself.

Cloning a shipped framework gives the partnership its own framework with version 1 published.
Editing (or importing over an existing slug) makes or updates the one draft; publishing turns the
draft into the next numbered version. Published versions are never changed.
"""

import copy
import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.actors import actor_roles, person
from partnership.audit import audit_record, snapshot
from partnership.models import Partnership
from partnership.permissions import require
from partnership.roles import Decision, officers_only

from .engine import FrameworkError, validate_framework
from .models import Framework, FrameworkVersion
from .selectors import draft_version, editable_version, published_version
from .shipped import load_shipped, shipped_slugs

FRAMEWORK_FIELDS = ("slug", "name", "source_slug")
VERSION_FIELDS = ("framework", "number", "status", "definition", "published_at", "published_by", "publish_reason")


def can_manage_frameworks(roles) -> Decision:
    return officers_only(roles, "change the partnership's categorisation frameworks")


def _require_manager(actor, partnership: Partnership) -> None:
    require(can_manage_frameworks(actor_roles(actor, partnership)))


def _checked(definition, slug: str) -> dict:
    if not isinstance(definition, dict):
        raise ValidationError({"definition": ["A framework must be a JSON object."]})
    # A shallow copy: only the slug is set here, and a deep copy would recurse through a definition nested
    # too deeply before validation has refused it.
    definition = {**definition, "slug": slug}
    try:
        validate_framework(definition)
    except FrameworkError as exc:
        raise ValidationError({"definition": exc.errors}) from None
    return definition


def _create_framework(*, actor, partnership, slug, name, source_slug, reason) -> Framework:
    framework = Framework(
        partnership=partnership,
        slug=slug,
        name=name,
        source_slug=source_slug,
        created_by=person(actor),
    )
    framework.full_clean()
    framework.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=framework,
        action="framework.create",
        after=snapshot(framework, FRAMEWORK_FIELDS),
        reason=reason,
    )
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
    framework = _create_framework(
        actor=actor,
        partnership=partnership,
        slug=slug,
        name=definition["name"],
        source_slug=source_slug,
        reason=reason or f"Cloned from {source_slug}.",
    )
    version = FrameworkVersion(
        partnership=partnership,
        framework=framework,
        number=1,
        status=FrameworkVersion.Status.PUBLISHED,
        definition=definition,
        created_by=framework.created_by,
        published_at=timezone.now(),
        published_by=framework.created_by,
        publish_reason=f"Cloned from the shipped framework {source_slug}.",
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=version,
        action="framework.publish",
        after=snapshot(version, VERSION_FIELDS),
        reason=version.publish_reason,
    )
    return framework


def definition_revision(definition: dict) -> str:
    """A short fingerprint of a definition: an edit page carries the one it was opened on, so a save made
    over someone else's newer draft is refused instead of silently undoing it."""
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


STALE_MESSAGE = (
    "The draft has changed since you opened this page (someone saved it in the meantime), so "
    "nothing was saved. Open the page again to edit the latest draft."
)


@transaction.atomic
def framework_edit(
    *, actor, framework: Framework, definition: dict, reason: str = "", base_revision: str = ""
) -> FrameworkVersion:
    """Save an edited definition as the framework's draft (creating the draft if there is none).

    The whole definition is validated; an invalid one raises ValidationError({"definition": [one message
    per mistake, each with its path]}) and nothing is saved. With ``base_revision`` (the
    ``definition_revision`` of the version the editor started from), a draft changed since is refused."""
    _require_manager(actor, framework.partnership)
    definition = _checked(definition, framework.slug)
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    if base_revision:
        base = editable_version(framework)
        if base is None or definition_revision(base.definition) != base_revision:
            raise ValidationError(STALE_MESSAGE, code="stale")
    draft = draft_version(framework)
    if draft is None:
        # A new draft starts from the version in use: the audit keeps that definition as "before", so the
        # trail shows what this edit changed rather than the whole definition.
        base = published_version(framework)
        draft = FrameworkVersion(
            partnership=framework.partnership,
            framework=framework,
            definition=definition,
            created_by=person(actor),
        )
        before = {"definition": base.definition} if base is not None else None
        draft.full_clean()
        draft.save()
    else:
        before = snapshot(draft, VERSION_FIELDS)
        draft.definition = definition
        draft.full_clean()
        draft.save(update_fields=["definition", "updated_at"])
    audit_record(
        actor=actor,
        partnership=framework.partnership,
        obj=draft,
        action="framework.edit",
        before=before,
        after=snapshot(draft, VERSION_FIELDS),
        reason=reason,
    )
    return draft


@transaction.atomic
def framework_publish(*, actor, framework: Framework, reason: str, base_revision: str = "") -> FrameworkVersion:
    """Publish the draft as the next version number. Earlier versions stay as they were. With
    ``base_revision`` (the draft the officer saw the what-if of), a draft changed since is refused."""
    _require_manager(actor, framework.partnership)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this version is published."})
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    draft = draft_version(framework)
    if draft is None:
        raise ValidationError("There is no draft to publish: edit the framework first.")
    if base_revision and definition_revision(draft.definition) != base_revision:
        raise ValidationError(
            "The draft has changed since you opened this page (someone saved it in the meantime), so it was "
            "not published. Look at what the latest draft would change, then publish it.",
            code="stale",
        )
    before = snapshot(draft, VERSION_FIELDS)
    last = (
        FrameworkVersion.objects.for_partnership(framework.partnership)
        .filter(framework=framework)
        .aggregate(n=Max("number"))["n"]
        or 0
    )
    draft.number = last + 1
    draft.status = FrameworkVersion.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = person(actor)
    draft.publish_reason = reason
    draft.full_clean()
    draft.save(update_fields=["number", "status", "published_at", "published_by", "publish_reason", "updated_at"])
    audit_record(
        actor=actor,
        partnership=framework.partnership,
        obj=draft,
        action="framework.publish",
        before=before,
        after=snapshot(draft, VERSION_FIELDS),
        reason=reason,
    )
    name = draft.definition.get("name", framework.name)
    if name != framework.name:
        framework_before = snapshot(framework, FRAMEWORK_FIELDS)
        framework.name = name
        framework.full_clean()
        framework.save(update_fields=["name"])
        audit_record(
            actor=actor,
            partnership=framework.partnership,
            obj=framework,
            action="framework.rename",
            before=framework_before,
            after=snapshot(framework, FRAMEWORK_FIELDS),
            reason=reason,
        )
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
        framework = _create_framework(
            actor=actor,
            partnership=partnership,
            slug=definition["slug"],
            name=definition["name"],
            source_slug="",
            reason=reason or "Imported.",
        )
    return framework_edit(actor=actor, framework=framework, definition=definition, reason=reason or "Imported.")


# ---- the form editor: each change is worked out on the latest definition and saved by framework_edit ----


@transaction.atomic
def framework_change(
    *, actor, framework: Framework, change: Callable[[dict], dict], reason: str, base_revision: str = ""
) -> FrameworkVersion:
    """Apply ``change`` to a copy of the definition being edited (the draft, else the published version)
    and save the result as the draft through framework_edit. Refused when nothing changed."""
    _require_manager(actor, framework.partnership)
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    base = editable_version(framework)
    if base is None:
        raise ValidationError("This framework has no version to edit: import one as JSON.")
    if base_revision and definition_revision(base.definition) != base_revision:
        raise ValidationError(STALE_MESSAGE, code="stale")
    definition = change(copy.deepcopy(base.definition))
    if definition == base.definition:
        raise ValidationError("Nothing was changed, so nothing was saved.", code="unchanged")
    return framework_edit(actor=actor, framework=framework, definition=definition, reason=reason)


def _index_of(definition: dict, code: str) -> int:
    for i, cat in enumerate(definition.get("categories", [])):
        if cat.get("code") == code:
            return i
    raise ValidationError(
        f"There is no category {code!r} in this framework (it may have been renamed or "
        "removed since you opened the page).",
        code="stale",
    )


def framework_category_save(
    *,
    actor,
    framework: Framework,
    original_code: str | None,
    category: dict,
    reason: str = "",
    base_revision: str = "",
    new_row: dict | None = None,
) -> FrameworkVersion:
    """Replace the category ``original_code`` with ``category``, or add it at the end when original_code is
    None (with ``new_row``, a decision-table row leading to it, added last). Renaming a code renames it in
    the decision table's rows too."""
    code = category.get("code")

    def change(definition: dict) -> dict:
        categories = definition.setdefault("categories", [])
        if original_code is None:
            categories.append(category)
            if new_row is not None:
                definition.setdefault("rows", []).append(new_row)
            return definition
        categories[_index_of(definition, original_code)] = category
        if code != original_code:
            for row in definition.get("rows") or []:
                if row.get("category") == original_code:
                    row["category"] = code
        return definition

    default = (
        f"Added category {code}."
        if original_code is None
        else (f"Changed category {original_code}" + (f", renamed {code}." if code != original_code else "."))
    )
    return framework_change(
        actor=actor, framework=framework, change=change, reason=reason.strip() or default, base_revision=base_revision
    )


def framework_category_move(
    *, actor, framework: Framework, code: str, direction: str, base_revision: str = ""
) -> FrameworkVersion:
    """Move a category one place up or down (order is precedence: ties and ``ordered`` go first to first)."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a category up or down.")

    def change(definition: dict) -> dict:
        categories = definition["categories"]
        _swap(categories, _index_of(definition, code), direction, lambda end: f"{code} is already {end}.")
        return definition

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=f"Moved category {code} {direction}.",
        base_revision=base_revision,
    )


def _swap(items: list, i: int, direction: str, already) -> None:
    """Swap items[i] with the one above or below it; at either end, refused with the message
    ``already("first")`` or ``already("last")``."""
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(items):
        raise ValidationError(already("first" if direction == "up" else "last"))
    items[i], items[j] = items[j], items[i]


def framework_criterion_move(
    *, actor, framework: Framework, code: str, criterion_id: str, direction: str, base_revision: str = ""
) -> FrameworkVersion:
    """Move a criterion one place up or down within its category (order is the order of the reasons a
    result lists, and of the lines in the letters)."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a criterion up or down.")

    def change(definition: dict) -> dict:
        criteria = definition["categories"][_index_of(definition, code)].get("criteria", [])
        found = [i for i, c in enumerate(criteria) if c.get("id") == criterion_id]
        if not found:
            raise ValidationError(
                f"There is no criterion {criterion_id!r} in category {code} (it may have been changed or "
                "removed since you opened the page).",
                code="stale",
            )
        label = criteria[found[0]].get("label", criterion_id)
        _swap(
            criteria,
            found[0],
            direction,
            lambda end: f"“{label}” is already {end} in category {code}, so nothing was moved.",
        )
        return definition

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=f"Moved criterion {criterion_id} {direction} in category {code}.",
        base_revision=base_revision,
    )


def framework_category_remove(
    *, actor, framework: Framework, code: str, reason: str = "", base_revision: str = ""
) -> FrameworkVersion:
    """Remove a category with its criteria and the decision-table rows that lead to it."""

    def change(definition: dict) -> dict:
        del definition["categories"][_index_of(definition, code)]
        if "rows" in definition:
            definition["rows"] = [r for r in definition["rows"] if r.get("category") != code]
        return definition

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=reason.strip() or f"Removed category {code}.",
        base_revision=base_revision,
    )


def framework_parameters_save(
    *, actor, framework: Framework, parameters: dict, reason: str = "", base_revision: str = ""
) -> FrameworkVersion:
    """Replace the framework's thresholds (``parameters``; the engine's defaults fill what is left out)."""

    def change(definition: dict) -> dict:
        if parameters:
            definition["parameters"] = parameters
        else:
            definition.pop("parameters", None)
        return definition

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=reason.strip() or "Changed the thresholds.",
        base_revision=base_revision,
    )


def framework_rows_save(
    *, actor, framework: Framework, rows: list[dict], reason: str = "", base_revision: str = ""
) -> FrameworkVersion:
    """Replace the rows of a decision-table framework, in the order given (the first row that holds wins)."""

    def change(definition: dict) -> dict:
        if definition.get("method") != "decision_table":
            raise ValidationError("Only a decision-table framework has rows.")
        definition["rows"] = rows
        return definition

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=reason.strip() or "Changed the decision table.",
        base_revision=base_revision,
    )


def framework_details_save(
    *,
    actor,
    framework: Framework,
    name: str,
    description: str,
    method: str,
    reason: str = "",
    base_revision: str = "",
) -> FrameworkVersion:
    """Change the name, description and method; a new method converts the criteria (see convert_method)."""

    def change(definition: dict) -> dict:
        definition["name"] = name.strip()
        if description.strip():
            definition["description"] = description.strip()
        else:
            definition.pop("description", None)
        return convert_method(definition, method)

    return framework_change(
        actor=actor,
        framework=framework,
        change=change,
        reason=reason.strip() or "Changed the framework's details.",
        base_revision=base_revision,
    )


def convert_method(definition: dict, method: str) -> dict:
    """The definition with another method, keeping every condition (a starting point to check with the
    what-if, since the methods read criteria differently):

    to decision_table  each category's criteria become rows leading to it, in category order (an all-of
                       category becomes one row holding all of them); limiting criteria stay criteria.
    from decision_table each row becomes a criterion of its category; ordered categories hold when any holds.
    ordered <-> best_fit  the criteria stay; ordered categories combine with any-of unless they had all-of.
    """
    old = definition.get("method")
    if method == old:
        return definition
    definition["method"] = method
    categories = definition.get("categories", [])
    if method == "decision_table":
        rows = []
        for cat in categories:
            plain = [c for c in cat.get("criteria", []) if not c.get("limiting")]
            if plain and old == "ordered" and cat.get("combine") == "all" and len(plain) > 1:
                rows.append(
                    {
                        "id": f"{_slugish(cat['code'])}-all",
                        "label": f"All of {cat['code']}'s criteria",
                        "category": cat["code"],
                        "when": {"all": [c["when"] for c in plain]},
                    }
                )
            else:
                rows += [
                    {
                        "id": c["id"],
                        "label": c["label"],
                        "category": cat["code"],
                        "when": c["when"],
                        **({"note": c["note"]} if c.get("note") else {}),
                    }
                    for c in plain
                ]
            cat["criteria"] = [c for c in cat.get("criteria", []) if c.get("limiting")]
            cat.pop("combine", None)
        definition["rows"] = rows
        return definition
    if old == "decision_table":
        by_code = {cat.get("code"): cat for cat in categories}
        for row in definition.pop("rows", None) or []:
            cat = by_code.get(row.get("category"))
            if cat is not None:
                cat.setdefault("criteria", []).append({k: row[k] for k in ("id", "label", "when", "note") if k in row})
    for cat in categories:
        if method == "ordered":
            cat["combine"] = cat.get("combine") if cat.get("combine") in ("all", "any") else "any"
        else:
            cat.pop("combine", None)
    return definition


def _slugish(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in str(text)).strip("-")
    return out or "category"
