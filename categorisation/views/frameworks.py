"""The framework editor (officers): an overview of the draft, one page per category with its criteria,
one for the thresholds, one for a decision table's rows (those three in views.framework_parts), one
for the name and method; JSON import and export as the advanced way; then the what-if and publishing.

Every save goes through a service that applies the change to the latest definition and saves it with
services.framework_edit, which validates the whole framework and audits who, when and why. An invalid
edit comes back with each mistake beside its field, naming the category, criterion or row, and nothing
is saved. Each page carries the revision it was opened on, so a save over someone else's newer draft is
refused rather than undoing their change.
"""

import copy
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership.permissions import rule_required
from partnership.selectors import audit_for_object

from .. import runs, selectors, services
from ..forms import PublishForm, WhatIfForm
from ..forms.condition_text import to_text
from ..forms.editor import DetailsForm, FrameworkImportForm, SaveForm
from ..forms.messages import explain, locate
from ..forms.parameters import LABELS, leaves, used_sections
from ..services import can_manage_frameworks
from ..shipped import load_shipped, shipped_slugs
from .common import form_errors


def shipped_choices() -> list[tuple[str, str]]:
    return [(slug, load_shipped(slug)["name"]) for slug in shipped_slugs()]


def _editing(request, framework_slug):
    """The framework, the version being edited (the draft, else the published one) and its revision."""
    framework = selectors.get_framework(request.partnership, framework_slug)
    version = selectors.editable_version(framework)
    if version is None:
        raise Http404("This framework has no version.")
    return framework, version, services.definition_revision(version.definition)


def _overview(framework, anchor: str = ""):
    url = reverse(
        "categorisation_framework_edit",
        kwargs={"partnership_slug": framework.partnership.slug, "framework_slug": framework.slug},
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for found in exc.message_dict.values() for m in found]
    return list(exc.messages)


def _refusal(exc: ValidationError) -> str | None:
    """'stale' and 'unchanged' refusals: said once for the whole page."""
    return (
        getattr(exc, "code", None)
        if not hasattr(exc, "error_dict") and getattr(exc, "code", None) in ("stale", "unchanged")
        else None
    )


def _summary(*forms) -> list[tuple[str, str]]:
    """(link, message) for the error summary, in page order, from forms and (form, anchor) pairs."""
    out = []
    for item in forms:
        form, anchor = item if isinstance(item, tuple) else (item, "")
        for error in form.non_field_errors():
            out.append((f"#{anchor}" if anchor else "#main-content", error))
        for bound in form:
            for error in bound.errors:
                out.append((f"#{bound.id_for_label or bound.auto_id}", error))
    return out


def _unchanged(request, framework, exc: ValidationError, anchor: str = ""):
    """Back to the overview, saying so, when an edit was refused for changing nothing; else None."""
    if _refusal(exc) != "unchanged":
        return None
    messages.info(request, "Nothing was changed, so nothing was saved.")
    return _overview(framework, anchor)


def _saved(request, framework, version, note: str = "") -> None:
    messages.success(request, f"Draft saved. {note} See what it would change before publishing it.".replace("  ", " "))


# ---- the overview -------------------------------------------------------------------------------------


@rule_required(can_manage_frameworks)
def framework_edit_view(request, partnership_slug, framework_slug):
    framework, version, revision = _editing(request, framework_slug)
    definition = version.definition
    published = selectors.published_version(framework)
    draft = version if version.status == version.Status.DRAFT else None
    method = definition["method"]
    rows = definition.get("rows") or []
    categories = []
    for i, cat in enumerate(definition["categories"]):
        criteria = cat.get("criteria", [])
        categories.append(
            {
                "number": i + 1,
                "cat": cat,
                "first": i == 0,
                "last": i == len(definition["categories"]) - 1,
                "criteria": [{"crit": c, "text": to_text(c["when"])} for c in criteria],
                "rows": sum(1 for r in rows if r.get("category") == cat["code"]),
            }
        )
    merged = copy.deepcopy(definition.get("parameters") or {})
    used = used_sections(definition)
    thresholds = []
    for path, default in leaves():
        if path.split(".")[0] not in used:
            continue
        node, found = merged, True
        for part in path.split("."):
            node, found = (node.get(part), True) if isinstance(node, dict) and part in node else (None, False)
            if not found:
                break
        value = node if found else default
        shown = (", ".join(str(v).replace("_", " ") for v in value) or "none") if isinstance(value, list) else value
        thresholds.append(
            {"label": LABELS.get(path, (path, ""))[0], "value": shown, "default": not found, "path": path}
        )
    return render(
        request,
        "categorisation/framework_edit.html",
        {
            "framework": framework,
            "version": version,
            "draft": draft,
            "published": published,
            "definition": definition,
            "method": method,
            "categories": categories,
            "revision": revision,
            "rows": [{"row": r, "text": to_text(r["when"]), "number": i + 1} for i, r in enumerate(rows)],
            "thresholds": thresholds,
            "history": audit_for_object(request.partnership, draft, limit=10) if draft else [],
        },
    )


@require_POST
@rule_required(can_manage_frameworks)
def framework_category_move(request, partnership_slug, framework_slug, number):
    framework, version, _ = _editing(request, framework_slug)
    categories = version.definition["categories"]
    if not 1 <= number <= len(categories):
        raise Http404("No such category.")
    code = categories[number - 1]["code"]
    try:
        services.framework_category_move(
            actor=request.user,
            framework=framework,
            code=code,
            direction=request.POST.get("direction", ""),
            base_revision=request.POST.get("revision", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(_messages_of(exc)))
    else:
        messages.success(request, f"Moved {code} {request.POST.get('direction')}. The draft is saved.")
    return _overview(framework, f"category-{number}")


# ---- details: name and method ----------------------------------------------------------------------


@rule_required(can_manage_frameworks)
def framework_details(request, partnership_slug, framework_slug):
    framework, version, revision = _editing(request, framework_slug)
    definition = version.definition
    data = request.POST if request.method == "POST" else None
    form = DetailsForm(
        data,
        initial={
            "name": definition.get("name", ""),
            "description": definition.get("description", ""),
            "method": definition["method"],
        },
    )
    save_form = SaveForm(data, initial={"revision": revision})
    if request.method == "POST" and form.is_valid() and save_form.is_valid():
        method = form.cleaned_data["method"]
        try:
            services.framework_details_save(
                actor=request.user,
                framework=framework,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                method=method,
                reason=save_form.cleaned_data["reason"],
                base_revision=save_form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            if (back := _unchanged(request, framework, exc)) is not None:
                return back
            for message in _messages_of(exc):
                where = locate(message)
                if where.get("top") in ("name", "method", "description"):
                    form.add_error(where["top"], f"The framework's {where['top']}: {where['text']}")
                else:
                    save_form.add_error(
                        None,
                        explain(message, definition)[1]
                        + (" (after converting to the new method)" if method != definition["method"] else ""),
                    )
        else:
            note = (
                "The method changed and the criteria were converted: check each category and the what-if."
                if method != definition["method"]
                else ""
            )
            _saved(request, framework, version, note)
            return _overview(framework)
    return render(
        request,
        "categorisation/framework_details.html",
        {
            "framework": framework,
            "version": version,
            "form": form,
            "save_form": save_form,
            "errors": _summary(form, save_form),
        },
    )


# ---- JSON: import as the advanced way, export --------------------------------------------------------


@rule_required(can_manage_frameworks)
def framework_json(request, partnership_slug, framework_slug):
    framework, version, _ = _editing(request, framework_slug)
    form = FrameworkImportForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "definition": json.dumps(version.definition, indent=2, ensure_ascii=False),
            "revision": services.definition_revision(version.definition),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_edit(
                actor=request.user,
                framework=framework,
                definition=form.cleaned_data["parsed"],
                reason=form.cleaned_data["reason"] or "Edited as JSON.",
                base_revision=form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Draft saved. Check what it would change before publishing it.")
            return redirect(
                "categorisation_framework_whatif", partnership_slug=partnership_slug, framework_slug=framework.slug
            )
    return render(
        request, "categorisation/framework_json.html", {"framework": framework, "form": form, "version": version}
    )


@rule_required(can_manage_frameworks)
def framework_export(request, partnership_slug, framework_slug):
    """The draft (``?version=draft``) or the current published version as a JSON file."""
    framework = selectors.get_framework(request.partnership, framework_slug)
    if request.GET.get("version") == "draft":
        version = selectors.draft_version(framework)
    else:
        version = selectors.published_version(framework)
    if version is None:
        raise Http404("There is no such version to export.")
    name = f"{framework.slug}-{'draft' if version.number is None else f'v{version.number}'}.json"
    response = HttpResponse(
        json.dumps(version.definition, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---- what-if and publishing, cloning ----------------------------------------------------------------


@rule_required(can_manage_frameworks)
def framework_whatif(request, partnership_slug, framework_slug):
    framework = selectors.get_framework(request.partnership, framework_slug)
    draft = selectors.draft_version(framework)
    year_form = WhatIfForm(request.GET, partnership=request.partnership)
    publish_form = PublishForm(
        request.POST or None,
        initial={"revision": services.definition_revision(draft.definition) if draft else ""},
    )
    if request.method == "POST" and publish_form.is_valid():
        try:
            version = services.framework_publish(
                actor=request.user,
                framework=framework,
                reason=publish_form.cleaned_data["reason"],
                base_revision=publish_form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            form_errors(publish_form, exc)
        else:
            messages.success(request, f"{framework.name} version {version.number} is published.")
            return redirect(reverse("categorisation_run_list", kwargs={"partnership_slug": partnership_slug}))
    whatif = None
    if draft is not None and year_form.is_valid():
        whatif = runs.framework_whatif(
            partnership=request.partnership,
            framework=framework,
            draft=draft,
            academic_year=year_form.cleaned_data["academic_year"],
        )
    published = selectors.published_version(framework)
    changes = (
        selectors.definition_changes(published.definition if published else None, draft.definition) if draft else []
    )
    return render(
        request,
        "categorisation/framework_whatif.html",
        {
            "framework": framework,
            "draft": draft,
            "whatif": whatif,
            "year_form": year_form,
            "publish_form": publish_form,
            "changes": changes,
        },
    )


@rule_required(can_manage_frameworks)
@require_POST
def framework_clone_view(request, partnership_slug):
    """Start from a shipped framework: it becomes the partnership's own, published as version 1."""
    source = request.POST.get("source_slug", "")
    if source not in shipped_slugs():
        messages.error(request, "Choose one of the shipped frameworks.")
        return redirect("categorisation_run_list", partnership_slug=partnership_slug)
    try:
        framework = services.framework_clone(
            actor=request.user,
            partnership=request.partnership,
            source_slug=source,
            reason=request.POST.get("reason", "").strip(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{framework.name} is now this partnership's, published as version 1.")
    return redirect("categorisation_run_list", partnership_slug=partnership_slug)
