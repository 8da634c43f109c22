"""Forms for categorisation pages: they parse; the services decide and name the mistakes. The framework
editor's forms are in forms.editor and forms.parameters; a condition written as text in forms.condition_text."""

from django import forms

from partnership.models import validate_academic_year
from schools.selectors import data_years, default_academic_year

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
    self_assessment_due = forms.DateField(
        label="Self-assessments due by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date by which headteachers submit their school's self-assessment. Leave it empty for "
        "four weeks from today; you can change it later.",
        error_messages={"invalid": "Enter the due date as a date, such as 2027-01-15."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = published_versions(partnership)
        self.fields["framework_version"].label_from_instance = lambda v: f"{v.framework.name}, version {v.number}"
        # The newest year with data, not the partnership's current year, which may have none yet.
        self.data_years = data_years(partnership)
        self.fields["academic_year"].initial = default_academic_year(partnership, self.data_years)
        self.fields["academic_year"].help_text = f"The year of the data, such as 2022-23. {self.data_years.sentence}"


class RunDueDateForm(forms.Form):
    self_assessment_due = forms.DateField(
        label="Self-assessments due by",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date by which schools submit their self-assessment.",
            "invalid": "Enter the due date as a date, such as 2027-01-15.",
        },
    )


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
    """The school's own category and its evidence, one box per criterion grouped under its category, and for
    a decision table one box per fact its rows read, under "What decides the category" (``groups``: each
    legend and its boxes, in the framework's order; ``runs.self_assessment_items`` says what is asked). Saved
    as a draft it may be incomplete; submitted (``submitting``), each thing missing is named where it is."""

    category = forms.ChoiceField(label="The school's own category", required=False)

    def __init__(self, *args, version, submitting: bool = False, **kwargs):
        from ..runs import self_assessment_items

        super().__init__(*args, **kwargs)
        self.version, self.submitting = version, submitting
        self.fields["category"].choices = [("", "Choose a category"), *_category_choices(version)]
        self.fields["category"].help_text = "The category you think fits the school, with your evidence below."
        self.criteria: list[tuple[str, str]] = []  # (evidence key, field name)
        self._groups: list[tuple[str, list[str]]] = []
        for item in self_assessment_items(version):
            name = f"evidence_{item.key}"
            self.fields[name] = forms.CharField(
                label=item.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Your evidence, if this applies to the school."
                if item.is_criterion
                else "Your evidence on this, if it bears on the school's category.",
            )
            self.criteria.append((item.key, name))
            if not self._groups or self._groups[-1][0] != item.legend:
                self._groups.append((item.legend, []))
            self._groups[-1][1].append(name)

    @property
    def groups(self) -> list[dict]:
        return [{"legend": legend, "fields": [self[name] for name in names]} for legend, names in self._groups]

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            from ..runs import self_assessment_missing

            missing = self_assessment_missing(
                self.version, category=cleaned.get("category", ""), evidence=self.evidence()
            )
            for key, message in missing.items():
                about, _, criterion = key.partition(":")
                field = "category" if about == "category" else (f"evidence_{criterion}" if criterion else None)
                self.add_error(field, message)
        return cleaned

    def evidence(self) -> dict:
        """criterion id (or "fact:<name>"): the evidence given (empty boxes left out)."""
        given = {cid: (self.cleaned_data.get(name) or "").strip() for cid, name in self.criteria}
        return {cid: text for cid, text in given.items() if text}


class ModerationForm(forms.Form):
    agreed_category = forms.ChoiceField(label="Agreed category")
    note = forms.CharField(label="What was discussed with the school", widget=forms.Textarea(attrs={"rows": 4}))
    override_reason = forms.CharField(
        label="Why the agreed category differs from the computed one",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the agreed category is not the computed one.",
    )
    # The latest moderation the page showed (runs.moderation_seen), so that one recorded meanwhile is not
    # overwritten unseen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_category"].choices = [("", "Choose a category"), *_category_choices(version)]


class PublishForm(forms.Form):
    reason = forms.CharField(label="Why this version is published", widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.CharField(widget=forms.HiddenInput, required=False)  # the draft whose what-if was shown


class WhatIfForm(forms.Form):
    academic_year = forms.CharField(max_length=7, validators=[validate_academic_year], label="Data of the year")

    def __init__(self, data=None, *args, partnership, **kwargs):
        """Unasked, the what-if uses the newest year the partnership has data for."""
        self.data_years = data_years(partnership)
        if not data:
            data = {"academic_year": default_academic_year(partnership, self.data_years)}
        super().__init__(data, *args, **kwargs)
        self.fields["academic_year"].widget.attrs["aria-describedby"] = "data-years"  # the page's sentence


class RunConfirmForm(forms.Form):
    """The second, deliberate step of confirming a run: the officer says they have checked what it does."""

    checked = forms.BooleanField(
        label="I have checked the schools that have not self-assessed, the disagreements, the register entries "
        "and who the letters go to",
        error_messages={"required": "Tick the box to say you have checked what confirming does."},
    )
    note = forms.CharField(
        label="Note for the record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the run's history with your name, such as the meeting that agreed the categories.",
    )
