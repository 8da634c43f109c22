"""Forms for categorisation pages: they parse; the services decide and name the mistakes. The framework
editor's forms are in forms.editor and forms.parameters; a condition written as text in forms.condition_text."""

from django import forms

from partnership.models import validate_academic_year

from ..models import FrameworkVersion, Result
from ..selectors import published_versions


class RunStartForm(forms.Form):
    framework_version = forms.ModelChoiceField(
        queryset=FrameworkVersion.objects.none(),
        label="Framework version",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a published framework version of this partnership."},
    )
    academic_year = forms.CharField(
        max_length=7, validators=[validate_academic_year], help_text="The year of the data, such as 2022-23."
    )
    reason = forms.CharField(
        label="Why are you running this year again? (only if it already has confirmed results)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Schools and the board keep seeing the year's confirmed results until you confirm the new run.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = published_versions(partnership)
        self.fields["framework_version"].label_from_instance = lambda v: f"{v.framework.name}, version {v.number}"
        self.fields["academic_year"].initial = partnership.current_academic_year


class ResultFilterForm(forms.Form):
    q = forms.CharField(label="School or URN", required=False)
    category = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Result.Status.choices])

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category"), *[(c, c) for c in codes], ("none", "No category")]


def _category_choices(version) -> list:
    return [(c["code"], f"{c['code']}: {c.get('label', '')}".rstrip(": ")) for c in version.definition["categories"]]


class SelfAssessmentForm(forms.Form):
    category = forms.ChoiceField(label="The school's own category")

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category"), *_category_choices(version)]
        self.criteria = []
        for cat in version.definition["categories"]:
            for crit in cat.get("criteria", []):
                name = f"evidence_{crit['id']}"
                self.fields[name] = forms.CharField(
                    label=f"{cat['code']}: {crit['label']}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text="Your evidence, if this applies to the school.",
                )
                self.criteria.append((crit["id"], name))

    def evidence(self) -> dict:
        return {cid: self.cleaned_data.get(name, "") for cid, name in self.criteria}


class ModerationForm(forms.Form):
    agreed_category = forms.ChoiceField(label="Agreed category")
    note = forms.CharField(label="What was discussed with the school", widget=forms.Textarea(attrs={"rows": 4}))
    override_reason = forms.CharField(
        label="Why the agreed category differs from the computed one",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the agreed category is not the computed one.",
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_category"].choices = [("", "Choose a category"), *_category_choices(version)]


class PublishForm(forms.Form):
    reason = forms.CharField(label="Why this version is published", widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.CharField(widget=forms.HiddenInput, required=False)  # the draft whose what-if was shown


class WhatIfForm(forms.Form):
    academic_year = forms.CharField(max_length=7, validators=[validate_academic_year], label="Data of the year")
