"""The framework editor's forms: a category with its criteria, the decision table's rows, the details.

Forms only read what was typed into the shape of the framework JSON (categorisation/engine/framework.py);
the engine's validation, run by services.framework_edit on the whole definition, decides what is allowed,
and forms.messages reads each of its messages so that the page puts it beside the field it is about,
naming the category, criterion or row and the field.

A criterion's condition is edited as lines (a fact, how it is tested, a value), all or any of which must
hold, or, when it nests groups (as the Milton Keynes rows do), as text (forms.condition_text).
"""

from __future__ import annotations

from django import forms
from django.utils.text import slugify

from ..engine.conditions import MAX_DEPTH, UNARY
from . import condition_text
from .values import OPERATOR_CHOICES, fact_choices, parse_value, value_text

METHOD_CHOICES = [
    ("ordered", "In order: the first category whose criteria hold wins (all of them, or any one, per category)"),
    ("best_fit", "Best fit: the category with most criteria met wins; a tie goes to the category listed first"),
    ("decision_table", "Decision table: rows tried top to bottom, the first that holds gives its category"),
]
CODE_MAX = 20  # Result.computed_category holds at most 20 characters


# ---- a criterion ------------------------------------------------------------------------------------------


def _named(form, name: str) -> None:
    """Prefix each of the form's own error messages with what the form is ("Category AMBER, criterion 2
    (…)"), so a message read alone, as in the error summary, says where the mistake is."""
    for field, errors in list(form._errors.items()):
        named = []
        for message in errors:
            if message.startswith(name):
                named.append(message)
            elif message.startswith("Line "):
                named.append(f"{name}, l{message[1:]}")
            else:
                named.append(f"{name}: {message}")
        form._errors[field] = form.error_class(named)


def as_lines(cond: dict) -> tuple[str, list[dict]] | None:
    """(match, [comparisons]) when the condition is one comparison or all/any of comparisons, else None."""
    if "fact" in cond:
        return "all", [cond]
    for key in ("all", "any"):
        if key in cond and cond[key] and all("fact" in c for c in cond[key]):
            return key, cond[key]
    return None


class CriterionForm(forms.Form):
    original_id = forms.CharField(widget=forms.HiddenInput, required=False)
    mode = forms.CharField(widget=forms.HiddenInput, required=False, initial="lines")
    label = forms.CharField(
        label="What it says",
        max_length=300,
        help_text="Shown in the reasons and letters, such as “Judged RI at the last inspection”.",
        error_messages={"required": "Say what the criterion is, such as “Judged RI at the last inspection”."},
    )
    id = forms.CharField(
        label="Short id",
        max_length=60,
        required=False,
        help_text="Unique in the framework; made from the label when left empty.",
    )
    limiting = forms.BooleanField(
        label="Limiting factor: when it holds it decides the category on its own", required=False
    )
    match = forms.ChoiceField(
        label="The criterion holds when",
        initial="all",
        widget=forms.RadioSelect,
        required=False,
        choices=[("all", "all of these hold"), ("any", "any one of these holds")],
    )
    expression = forms.CharField(
        label="The condition as text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"}),
        help_text="For example: ofsted_grade = 3 and (data_trend = declining or below_floor = true). "
        "Use and, or, not, brackets, = ≠ < ≤ > ≥ (or != <= >=), in [a, b], is null, is given.",
    )

    def __init__(self, *args, number: int | None = None, where: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.where = where
        lines = len(self.initial.get("lines", []))
        if self.is_bound:
            while self.add_prefix(f"clause_{lines}_fact") in self.data:
                lines += 1
        else:
            lines += 1
        self.line_count = max(lines, 2)
        self.lines = []
        for k in range(self.line_count):
            old = self.initial.get("lines", [])[k] if k < len(self.initial.get("lines", [])) else {}
            self.fields[f"clause_{k}_fact"] = forms.ChoiceField(
                label=f"Line {k + 1}: fact", required=False, choices=fact_choices(), initial=old.get("fact", "")
            )
            self.fields[f"clause_{k}_op"] = forms.ChoiceField(
                label=f"Line {k + 1}: test", required=False, choices=OPERATOR_CHOICES, initial=old.get("op", "")
            )
            self.fields[f"clause_{k}_value"] = forms.CharField(
                label=f"Line {k + 1}: value",
                required=False,
                initial=value_text(old["value"]) if "value" in old else "",
                widget=forms.TextInput(attrs={"autocapitalize": "off", "spellcheck": "false"}),
            )
            self.lines.append((self[f"clause_{k}_fact"], self[f"clause_{k}_op"], self[f"clause_{k}_value"]))

    def full_clean(self):
        super().full_clean()
        if self._errors and self.number is not None:
            label = (self.data.get(self.add_prefix("label")) or self.initial.get("label") or "").strip()
            name = f"criterion {self.number}" + (f" ({label})" if label else "")
            _named(self, f"{self.where}, {name}" if self.where else name.capitalize())

    @classmethod
    def initial_for(cls, crit: dict) -> dict:
        lines = as_lines(crit["when"])
        return {
            "original_id": crit["id"],
            "label": crit["label"],
            "id": crit["id"],
            "limiting": bool(crit.get("limiting")),
            "mode": "lines" if lines else "text",
            "match": lines[0] if lines else "all",
            "lines": lines[1] if lines else [],
            "expression": condition_text.to_text(crit["when"]),
            "note": crit.get("note", ""),
        }

    @property
    def text_mode(self) -> bool:
        mode = self.data.get(self.add_prefix("mode")) if self.is_bound else self.initial.get("mode")
        return mode == "text"

    def _lines(self) -> list[dict]:
        out = []
        for k in range(self.line_count):
            fact = self.cleaned_data.get(f"clause_{k}_fact")
            op = self.cleaned_data.get(f"clause_{k}_op")
            raw = self.cleaned_data.get(f"clause_{k}_value", "")
            if not (fact or op or raw.strip()):
                continue
            if not fact:
                self.add_error(f"clause_{k}_fact", f"Line {k + 1}: choose the fact to test.")
                continue
            if not op:
                self.add_error(f"clause_{k}_op", f"Line {k + 1}: choose how to test {fact}.")
                continue
            try:
                value = parse_value(fact, op, raw)
            except forms.ValidationError as exc:
                self.add_error(f"clause_{k}_value", f"Line {k + 1}: {exc.messages[0]}")
                continue
            out.append({"fact": fact, "op": op} if op in UNARY else {"fact": fact, "op": op, "value": value})
        return out

    def clean(self):
        data = super().clean()
        text = (data.get("expression") or "").strip()
        text_changed = text != (self.initial.get("expression") or "").strip()
        when = None
        if self.text_mode or (text and text_changed):
            if not self.text_mode and any(name.startswith("clause_") for name in self.changed_data):
                self.add_error("expression", "Change the condition in the lines or as text, not both.")
                return data
            if not text:
                self.add_error("expression", "Give the criterion a condition.")
                return data
            try:
                when = condition_text.parse(text)
            except condition_text.ConditionTextError as exc:
                self.add_error("expression", f"The condition cannot be read: {exc}.")
                return data
        else:
            lines = self._lines()
            if self.errors:
                return data
            if not lines:
                self.add_error(
                    "clause_0_fact", "Give the criterion a condition: choose a fact, how to test it and the value."
                )
                return data
            when = lines[0] if len(lines) == 1 else {data.get("match") or "all": lines}
        label = (data.get("label") or "").strip()
        if not label:
            return data
        data["criterion"] = {
            "id": (data.get("id") or "").strip(),
            "label": label,
            "when": when,
            **({"limiting": True} if data.get("limiting") else {}),
        }
        return data


class BaseCriteriaFormSet(forms.BaseFormSet):
    def __init__(
        self, *args, originals: dict | None = None, taken_ids: set[str] = frozenset(), where: str = "", **kwargs
    ):
        self.originals = originals or {}  # criterion id -> the criterion as it was (keys the page does not show)
        self.taken_ids = set(taken_ids)  # ids used elsewhere in the framework
        self.where = where  # "Category AMBER": names the category in each criterion's messages
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": None if index is None else index + 1, "where": self.where}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this criterion"

    def criteria(self) -> list[tuple[CriterionForm, dict]]:
        """(form, criterion) for each kept criterion, in order; an empty id is made from the label."""
        out = []
        used = set(self.taken_ids)
        for form in self.forms:
            if not form.has_changed() and not form.initial or self._should_delete_form(form):
                continue
            edited = form.cleaned_data["criterion"]
            original = self.originals.get(form.cleaned_data.get("original_id") or "", {})
            crit = {**{k: v for k, v in original.items() if k != "limiting"}, **edited}
            if edited.get("limiting"):
                crit["limiting"] = True
            elif "limiting" in original:
                crit["limiting"] = False
            if not crit["id"]:
                base = slugify(crit["label"])[:50] or "criterion"
                crit["id"], n = base, 2
                while crit["id"] in used:
                    crit["id"], n = f"{base}-{n}", n + 1
            used.add(crit["id"])
            out.append((form, crit))
        return out


CriteriaFormSet = forms.formset_factory(CriterionForm, formset=BaseCriteriaFormSet, extra=1, can_delete=True)


class CategoryForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=CODE_MAX, help_text="The category as results and letters show it, such as AMBER or 2b."
    )
    label = forms.CharField(label="Name", max_length=200, required=False, help_text="Such as “Of concern”.")
    tib = forms.BooleanField(label="Calls for a Targeted Improvement Board (TIB)", required=False)
    register = forms.BooleanField(
        label="Puts the school on the Schools Causing Concern register when its category is confirmed", required=False
    )
    combine = forms.ChoiceField(
        label="The category holds when",
        widget=forms.RadioSelect,
        initial="any",
        choices=[("any", "any one of its criteria holds (any-of)"), ("all", "all of its criteria hold (all-of)")],
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    new_row = forms.CharField(
        label="When the decision table gives this category",
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "autocapitalize": "off"}),
        help_text="The condition of a new row, added at the end of the table, such as ofsted_grade = 3 and "
        "ofsted_leadership_grade = 1. Move it and add more on the decision table page.",
        error_messages={"required": "Give the row that leads to the new category: a decision table needs one."},
    )

    def __init__(self, *args, method: str, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if method != "ordered":
            del self.fields["combine"]
        if not (adding and method == "decision_table"):
            del self.fields["new_row"]

    def clean_new_row(self):
        try:
            return condition_text.parse(self.cleaned_data["new_row"])
        except condition_text.ConditionTextError as exc:
            raise forms.ValidationError(f"The condition cannot be read: {exc}.") from None

    def row(self) -> dict | None:
        """The decision-table row a new category comes with, if the framework is a decision table."""
        if "new_row" not in self.fields:
            return None
        data = self.cleaned_data
        label = data["label"].strip() or data["code"]
        return {
            "id": f"{slugify(data['code']) or 'row'}-row",
            "label": label,
            "category": data["code"],
            "when": data["new_row"],
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("Give the category a code, such as AMBER.")
        return code

    def category(self, criteria: list[dict], original: dict | None) -> dict:
        data = self.cleaned_data
        original = original or {}
        out = {
            k: v
            for k, v in original.items()
            if k not in ("label", "tib", "register", "combine", "criteria", "description")
        }
        out["code"] = data["code"]
        if data["label"].strip() or "label" in original:
            out["label"] = data["label"].strip()
        for flag in ("tib", "register"):
            if data[flag] or flag in original:
                out[flag] = bool(data[flag])
        if "combine" in self.fields:
            out["combine"] = data["combine"]
        if data["description"].strip():
            out["description"] = data["description"].strip()
        if criteria or "criteria" in original:
            out["criteria"] = criteria
        return out


# ---- decision-table rows ----------------------------------------------------------------------------------


class RowForm(forms.Form):
    original_id = forms.CharField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(
        label="Order",
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "app-input--short"}),
    )
    id = forms.CharField(label="Id", max_length=60, required=False)
    label = forms.CharField(
        label="Label",
        max_length=300,
        error_messages={"required": "Say what the row is, such as “Ofsted 2; consistent”."},
    )
    condition = forms.CharField(
        label="When",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={
            "required": "Give the row its condition, such as ofsted_grade = 1 and data_trend = consistent."
        },
    )
    category = forms.ChoiceField(label="Category", error_messages={"required": "Choose the category the row gives."})

    def __init__(self, *args, codes: list[str], number: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["category"].choices = [("", "Choose"), *[(c, c) for c in codes]]

    def full_clean(self):
        super().full_clean()
        if self._errors and self.number is not None:
            label = (self.data.get(self.add_prefix("label")) or self.initial.get("label") or "").strip()
            _named(self, f"Row {self.number}" + (f" ({label})" if label else ""))

    def clean(self):
        data = super().clean()
        text = (data.get("condition") or "").strip()
        if text:
            try:
                data["when"] = condition_text.parse(text)
            except condition_text.ConditionTextError as exc:
                self.add_error("condition", f"The condition cannot be read: {exc}.")
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, originals: dict | None = None, **kwargs):
        self.originals = originals or {}  # row id -> the row as it was (keys the page does not show)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": None if index is None else index + 1}

    def rows(self) -> list[tuple[RowForm, dict]]:
        """(form, row) for each kept row, sorted by its order (rows without one keep their place)."""
        kept = []
        for position, form in enumerate(self.forms):
            if (not form.has_changed() and not form.initial) or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            original = self.originals.get(data.get("original_id") or "", {})
            row = {
                **original,
                "id": (data.get("id") or "").strip(),
                "label": data["label"].strip(),
                "category": data["category"],
                "when": data["when"],
            }
            if not row["id"]:
                row["id"] = slugify(row["label"])[:50] or f"row-{position + 1}"
            order = data.get("order")
            moved = 0 if "order" in form.changed_data else 1  # a row moved to a taken place goes before it
            kept.append(((order if order is not None else position + 1, moved, position), form, row))
        kept.sort(key=lambda item: item[0])
        return [(form, row) for _, form, row in kept]


RowFormSet = forms.formset_factory(RowForm, formset=BaseRowFormSet, extra=1, can_delete=True)


# ---- the framework's details, and what every save carries -----------------------------------------------


class DetailsForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(
        label="How categories are decided",
        widget=forms.RadioSelect,
        choices=METHOD_CHOICES,
        help_text="Changing it converts the criteria (a decision table's rows become its "
        "categories' criteria, and back): check the what-if before publishing.",
    )


class MoveForm(forms.Form):
    """One "Move up" or "Move down" button: the direction and the revision the page was opened on. The
    revision is required: a move names its criterion by position, which only means something in the draft
    the page showed."""

    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")],
        error_messages={"required": "Move up or down.", "invalid_choice": "Move up or down."},
    )
    revision = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page did not say which draft it showed, so nothing was moved. Open the page "
            "again and move it from there."
        },
    )


class SaveForm(forms.Form):
    """The revision the page was opened on (so a save over a newer draft is refused) and why."""

    revision = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why you are making this change",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit trail with your name and the time.",
    )


class FrameworkImportForm(forms.Form):
    definition = forms.CharField(
        label="Framework (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        help_text="The whole framework as exported. See the fact vocabulary in FACTS.md.",
    )
    upload = forms.FileField(label="Or upload a JSON file", required=False)
    reason = forms.CharField(label="Why you are changing it", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.CharField(widget=forms.HiddenInput, required=False)  # the version the page was opened on

    def clean(self):
        import json

        data = super().clean()
        upload = data.get("upload")
        text = data.get("definition") or ""
        if upload is not None:
            if upload.size > 1_000_000:
                self.add_error("upload", "The file is over 1 MB: a framework is much smaller.")
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", "The file is not UTF-8 text: export the framework as JSON.")
                return data
        if not text.strip():
            self.add_error("definition", "Paste the framework's JSON or upload a file.")
            return data
        try:
            data["parsed"] = json.loads(text)
        except json.JSONDecodeError as exc:
            self.add_error(
                "upload" if upload is not None else "definition",
                f"This is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            )
        except RecursionError:
            self.add_error(
                "upload" if upload is not None else "definition",
                "This JSON is nested too deeply to read: a framework's lists and objects nest a few levels, "
                f"and its conditions at most {MAX_DEPTH} levels of 'all', 'any' and 'not'.",
            )
        return data
