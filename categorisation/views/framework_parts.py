"""The framework editor's part pages (officers): one category with its criteria (change, add, remove, reorder),
the thresholds, and a decision table's rows. Each save goes through a service that ends in
services.framework_edit; an invalid edit shows each mistake beside its field, naming the category,
criterion or row, and saves nothing (see views.frameworks for the overview and the rest).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership.permissions import rule_required

from .. import services
from ..engine import PARAMETER_DEFAULTS
from ..forms.condition_text import to_text
from ..forms.editor import CategoryForm, CriteriaFormSet, CriterionForm, MoveForm, RowFormSet, SaveForm
from ..forms.messages import condition_field, explain, locate
from ..forms.parameters import ParametersForm
from ..forms.values import fact_reference
from ..services import can_manage_frameworks
from .frameworks import _editing, _messages_of, _overview, _refusal, _saved, _summary, _unchanged

# ---- a category and its criteria ------------------------------------------------------------------------


def _place_category_errors(exc, *, form, pairs, save_form, index: int, code: str, definition: dict) -> None:
    """Each engine message beside its field: the category's own fields, or the criterion's."""
    for message in _messages_of(exc):
        where = locate(message)
        text = where["text"]
        if where.get("category") == index and where.get("criterion") is not None and where["criterion"] < len(pairs):
            crit_form, crit = pairs[where["criterion"]]
            field = where.get("field")
            words = {"id": "short id", "label": "what it says", "limiting": "limiting factor", "when": "condition"}.get(
                field, field or ""
            )
            named = f"Category {code}, criterion {crit_form.number} ({crit['label']})"
            target = (
                condition_field(crit_form, where, text)
                if field == "when"
                else {"id": "id", "label": "label", "limiting": "limiting"}.get(field)
            )
            if target and target.startswith("clause_"):
                words = f"condition line {int(target.split('_')[1]) + 1}"
            crit_form.add_error(target, f"{named}, {words}: {text}" if words else f"{named}: {text}")
        elif where.get("category") == index:
            field = where.get("field")
            if field in form.fields:
                form.add_error(field, f"Category {code}, {field}: {text}")
            else:
                form.add_error(None, f"Category {code}: {text}")
        elif where.get("row") is not None and "new_row" in form.fields:
            form.add_error("new_row", f"The row leading to category {code}: {text}")
        else:
            save_form.add_error(None, explain(message, definition)[1])


def _category_page(request, framework_slug, number: int | None):
    framework, version, revision = _editing(request, framework_slug)
    definition = version.definition
    categories = definition["categories"]
    if number is not None and not 1 <= number <= len(categories):
        raise Http404("No such category.")
    original = categories[number - 1] if number is not None else None
    index = number - 1 if number is not None else len(categories)
    method = definition["method"]
    own_ids = {c["id"] for c in (original or {}).get("criteria", [])}
    taken = {c["id"] for cat in categories for c in cat.get("criteria", [])} - own_ids
    taken |= {r["id"] for r in definition.get("rows") or []}
    originals = {c["id"]: c for c in (original or {}).get("criteria", [])}
    cat_initial = (
        {
            "code": original["code"],
            "label": original.get("label", ""),
            "tib": original.get("tib", False),
            "register": original.get("register", False),
            "combine": original.get("combine", "any"),
            "description": original.get("description", ""),
        }
        if original
        else {"combine": "any"}
    )
    crit_initial = [CriterionForm.initial_for(c) for c in (original or {}).get("criteria", [])]
    data = request.POST if request.method == "POST" else None
    form = CategoryForm(data, initial=cat_initial, method=method, adding=original is None)
    where = f"Category {original['code']}" if original else "The new category"
    formset = CriteriaFormSet(
        data, initial=crit_initial, prefix="criteria", originals=originals, taken_ids=taken, where=where
    )
    save_form = SaveForm(data, initial={"revision": revision})
    if request.method == "POST" and all([form.is_valid(), formset.is_valid(), save_form.is_valid()]):
        pairs = formset.criteria()
        category = form.category([crit for _, crit in pairs], original)
        code = category["code"]
        others = [c["code"] for i, c in enumerate(categories) if i != index]
        if code in others:
            form.add_error("code", f"Another category already has the code {code}: choose another.")
        else:
            try:
                services.framework_category_save(
                    actor=request.user,
                    framework=framework,
                    original_code=original["code"] if original else None,
                    category=category,
                    reason=save_form.cleaned_data["reason"],
                    base_revision=save_form.cleaned_data["revision"],
                    new_row=form.row(),
                )
            except ValidationError as exc:
                if (back := _unchanged(request, framework, exc, f"category-{index + 1}")) is not None:
                    return back
                if _refusal(exc) == "stale":
                    save_form.add_error(None, exc.messages[0])
                else:
                    _place_category_errors(
                        exc, form=form, pairs=pairs, save_form=save_form, index=index, code=code, definition=definition
                    )
            else:
                _saved(request, framework, version, f"Category {code} is saved in the draft.")
                return _overview(framework, f"category-{index + 1}")
    errors = _summary(form, *[(f, f"criterion-{i + 1}") for i, f in enumerate(formset.forms)], save_form)
    return render(
        request,
        "categorisation/framework_category.html",
        {
            "framework": framework,
            "version": version,
            "method": method,
            "number": number,
            "original": original,
            "form": form,
            "formset": formset,
            "save_form": save_form,
            "errors": errors,
            "facts": fact_reference(),
            "facts_allowed": {f["name"]: f["allowed"] for f in fact_reference()},
            "revision": revision,
            "order": _criteria_order(original),
        },
    )


def _criteria_order(category: dict | None) -> list[dict]:
    """The category's criteria as saved, in order, for the move buttons (none for a new category)."""
    criteria = (category or {}).get("criteria", [])
    return [
        {"number": i + 1, "label": c.get("label") or c["id"], "first": i == 0, "last": i == len(criteria) - 1}
        for i, c in enumerate(criteria)
    ]


@rule_required(can_manage_frameworks)
def framework_category(request, partnership_slug, framework_slug, number):
    return _category_page(request, framework_slug, number)


@rule_required(can_manage_frameworks)
def framework_category_add(request, partnership_slug, framework_slug):
    return _category_page(request, framework_slug, None)


@require_POST
@rule_required(can_manage_frameworks)
def framework_criterion_move(request, partnership_slug, framework_slug, number, position):
    """Move the criterion at ``position`` of category ``number`` one place up or down, then show the category
    again in its new order. The page's revision is required, so a move over a changed draft is refused."""
    framework, version, _ = _editing(request, framework_slug)
    categories = version.definition["categories"]
    if not 1 <= number <= len(categories):
        raise Http404("No such category.")
    category = categories[number - 1]
    criteria = category.get("criteria", [])
    page = reverse(
        "categorisation_framework_category",
        kwargs={"partnership_slug": partnership_slug, "framework_slug": framework.slug, "number": number},
    )
    if not 1 <= position <= len(criteria):
        # Most likely removed since the page was opened: say so on the page as it is now.
        messages.error(
            request,
            f"There is no criterion {position} in category {category['code']} now (it may "
            "have been removed since you opened the page), so nothing was moved.",
        )
        return redirect(page + "#criteria-order")
    criterion = criteria[position - 1]
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(dict.fromkeys(m for found in form.errors.values() for m in found)))
        return redirect(page + "#criteria-order")
    direction = form.cleaned_data["direction"]
    try:
        services.framework_criterion_move(
            actor=request.user,
            framework=framework,
            code=category["code"],
            criterion_id=criterion["id"],
            direction=direction,
            base_revision=form.cleaned_data["revision"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(_messages_of(exc)))
        return redirect(page + "#criteria-order")
    now = position - 1 if direction == "up" else position + 1
    messages.success(
        request,
        f"Moved “{criterion.get('label') or criterion['id']}” {direction}: it is now criterion {now} of "
        f"{len(criteria)} in category {category['code']}. The draft is saved.",
    )
    return redirect(page + f"#order-{now}")


@rule_required(can_manage_frameworks)
def framework_category_remove(request, partnership_slug, framework_slug, number):
    framework, version, revision = _editing(request, framework_slug)
    categories = version.definition["categories"]
    if not 1 <= number <= len(categories):
        raise Http404("No such category.")
    category = categories[number - 1]
    rows = [r for r in version.definition.get("rows") or [] if r.get("category") == category["code"]]
    save_form = SaveForm(request.POST or None, initial={"revision": revision})
    if request.method == "POST" and save_form.is_valid():
        try:
            services.framework_category_remove(
                actor=request.user,
                framework=framework,
                code=category["code"],
                reason=save_form.cleaned_data["reason"],
                base_revision=save_form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            for message in _messages_of(exc):
                save_form.add_error(None, explain(message, version.definition)[1])
        else:
            _saved(request, framework, version, f"Category {category['code']} is removed from the draft.")
            return _overview(framework, "categories")
    return render(
        request,
        "categorisation/framework_category_remove.html",
        {
            "framework": framework,
            "version": version,
            "category": category,
            "rows": rows,
            "number": number,
            "save_form": save_form,
            "errors": _summary(save_form),
        },
    )


# ---- thresholds, rows, details ------------------------------------------------------------------------


@rule_required(can_manage_frameworks)
def framework_parameters(request, partnership_slug, framework_slug):
    framework, version, revision = _editing(request, framework_slug)
    data = request.POST if request.method == "POST" else None
    form = ParametersForm(data, definition=version.definition)
    save_form = SaveForm(data, initial={"revision": revision})
    if request.method == "POST" and form.is_valid() and save_form.is_valid():
        try:
            services.framework_parameters_save(
                actor=request.user,
                framework=framework,
                parameters=form.parameters(),
                reason=save_form.cleaned_data["reason"],
                base_revision=save_form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            if (back := _unchanged(request, framework, exc, "thresholds")) is not None:
                return back
            for message in _messages_of(exc):
                where = locate(message)
                field = form.field_for(where["parameter"]) if where.get("parameter") else None
                if field:
                    form.add_error(field, f"{form.fields[field].label}: {where['text']}")
                else:
                    save_form.add_error(None, message)
        else:
            _saved(request, framework, version, "The thresholds are saved in the draft.")
            return _overview(framework, "thresholds")
    return render(
        request,
        "categorisation/framework_parameters.html",
        {
            "framework": framework,
            "version": version,
            "form": form,
            "save_form": save_form,
            "errors": _summary(form, save_form),
            "defaults": PARAMETER_DEFAULTS,
        },
    )


# A decision-table row's key, as a validation message names it, to the row form's field (and its word).
ROW_FIELDS = {"when": "condition", "category": "category", "id": "id", "label": "label"}


@rule_required(can_manage_frameworks)
def framework_rows(request, partnership_slug, framework_slug):
    framework, version, revision = _editing(request, framework_slug)
    definition = version.definition
    if definition["method"] != "decision_table":
        raise Http404("Only a decision-table framework has rows.")
    codes = [c["code"] for c in definition["categories"]]
    rows = definition.get("rows") or []
    initial = [
        {
            "original_id": r["id"],
            "order": i + 1,
            "id": r["id"],
            "label": r["label"],
            "condition": to_text(r["when"]),
            "category": r["category"],
        }
        for i, r in enumerate(rows)
    ]
    originals = {r["id"]: r for r in rows}
    data = request.POST if request.method == "POST" else None
    formset = RowFormSet(data, initial=initial, prefix="rows", originals=originals, form_kwargs={"codes": codes})
    save_form = SaveForm(data, initial={"revision": revision})
    if request.method == "POST" and formset.is_valid() and save_form.is_valid():
        pairs = formset.rows()
        try:
            services.framework_rows_save(
                actor=request.user,
                framework=framework,
                rows=[r for _, r in pairs],
                reason=save_form.cleaned_data["reason"],
                base_revision=save_form.cleaned_data["revision"],
            )
        except ValidationError as exc:
            if (back := _unchanged(request, framework, exc, "rows")) is not None:
                return back
            for message in _messages_of(exc):
                where = locate(message)
                if where.get("row") is not None and where["row"] < len(pairs):
                    row_form, row = pairs[where["row"]]
                    field = ROW_FIELDS.get(where.get("field"))
                    row_form.add_error(
                        field,
                        f"Row {row_form.number} ({row['label']})"
                        + (f", {field}" if field else "")
                        + f": {where['text']}",
                    )
                else:
                    save_form.add_error(None, explain(message, definition)[1])
        else:
            _saved(request, framework, version, "The decision table is saved in the draft.")
            return _overview(framework, "rows")
    errors = _summary(*[(f, f"row-{i + 1}") for i, f in enumerate(formset.forms)], save_form)
    return render(
        request,
        "categorisation/framework_rows.html",
        {
            "framework": framework,
            "version": version,
            "formset": formset,
            "save_form": save_form,
            "errors": errors,
            "facts": fact_reference(),
            "codes": codes,
        },
    )
