"""The form of the LA's judgements of one school for one year (categorisation.judgements)."""

from django import forms

from schools.models import Grade, LocalIndicator

NOT_JUDGED = "not_judged"  # the answer for a blank judgement; no model value is spelt so
YES_NO = [(True, "Yes"), (False, "No")]


def _answer(value) -> str:
    """A model value as the radio answer that stands for it."""
    if value is None or value == "":
        return NOT_JUDGED
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class JudgementField(forms.ChoiceField):
    """One judgement as radios, the last of them "Not judged": cleans to the model's value, and to
    ``empty`` (blank text or None) for not judged. Every question is answered (the current value is
    checked to begin with), so a post that leaves one out is an error, never a judgement cleared."""

    widget = forms.RadioSelect

    def __init__(self, *, choices, empty, error: str, not_judged: str = "Not judged", **kwargs):
        self.empty = empty
        self.values = {_answer(value): value for value, _ in choices}
        message = f"Select {error}, or {not_judged}"
        super().__init__(
            choices=[*((_answer(value), label) for value, label in choices), (NOT_JUDGED, not_judged)],
            error_messages={"required": message, "invalid_choice": message},
            **kwargs,
        )

    def clean(self, value):
        answer = super().clean(value)
        return self.values.get(answer, self.empty)


class JudgementsForm(forms.Form):
    """The LA's judgements of one school for one academic year: the local data template's columns."""

    conditional_fields = ()  # none: the one optional field (complaints) is marked so

    self_evaluation_grade = JudgementField(
        label="The school's own self-evaluation grade",
        choices=Grade.choices,
        empty=None,
        not_judged="Not known",
        error="the school's own self-evaluation grade",
        help_text="The overall grade the school's self-evaluation claims.",
    )
    sef_validated_grade = JudgementField(
        label="Self-evaluation grade as validated by the LA",
        choices=Grade.choices,
        empty=None,
        error="the self-evaluation grade as validated by the LA",
    )
    self_evaluation_accurate = JudgementField(
        label="Is the school's self-evaluation accurate?",
        choices=YES_NO,
        empty=None,
        error="whether the school's self-evaluation is accurate",
    )
    judged_securely_good = JudgementField(
        label="Is the school judged securely good or outstanding?",
        choices=YES_NO,
        empty=None,
        error="whether the school is judged securely good or outstanding",
        help_text="By both the school and the partnership.",
    )
    likely_next_ofsted_grade = JudgementField(
        label="Likely next Ofsted grade",
        choices=Grade.choices,
        empty=None,
        error="the likely next Ofsted grade",
        help_text="The LA's evidence-based view.",
    )
    recent_s8_with_priorities = JudgementField(
        label="Was there a recent section 8 inspection with priorities for improvement?",
        choices=YES_NO,
        empty=None,
        not_judged="Not known",
        error="whether there was a recent section 8 inspection with priorities",
        help_text="An ungraded inspection that set priorities for improvement and proposed a section 5.",
    )
    teaching_quality = JudgementField(
        label="Quality of teaching over time",
        choices=LocalIndicator.TeachingQuality.choices,
        empty="",
        error="the quality of teaching over time",
    )
    leadership_governance = JudgementField(
        label="Leadership and governance",
        choices=LocalIndicator.LeadershipGovernance.choices,
        empty="",
        error="how effective leadership and governance are",
        help_text="Leadership and management at all levels, including governance.",
    )
    behaviour_concern = JudgementField(
        label="Are there significant concerns about behaviour?",
        choices=YES_NO,
        empty=None,
        error="whether there are significant concerns about behaviour",
    )
    finance_concern = JudgementField(
        label="Finance",
        choices=LocalIndicator.Finance.choices,
        empty="",
        error="the LA's view of the school's finances",
        help_text="The LA's view of the school's financial position.",
    )
    outward_facing = JudgementField(
        label="Outward facing",
        choices=LocalIndicator.OutwardFacing.choices,
        empty="",
        error="how far the school is outward facing",
        help_text="How far the school takes part in partnership and outward-facing work.",
    )
    complaints = forms.IntegerField(
        label="Complaints escalated to the LA in the year",
        required=False,
        min_value=0,
        help_text="A whole number, such as 2. Leave it empty if not known.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter the number of complaints as a whole number, such as 2",
            "min_value": "The number of complaints must be 0 or more",
        },
    )

    # The judgements as the page showed them: a save over judgements changed since is refused.
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: LocalIndicator | None = None, revision: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "revision":
                field.initial = revision
                continue
            value = getattr(indicator, name) if indicator is not None else None
            field.initial = _answer(value) if isinstance(field, JudgementField) else value
