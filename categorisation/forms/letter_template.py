"""The letter's wording as officers edit it: one box per text, one per category for what happens next."""

from django import forms

from ..placeholders import PLACEHOLDERS

CATEGORY_PREFIX = "next_steps__"


def _placeholders_help() -> str:
    return "You may use " + ", ".join("{" + name + "} (" + what + ")" for name, what in PLACEHOLDERS.items()) + "."


class LetterTemplateForm(forms.Form):
    opening = forms.CharField(
        label="Opening paragraph", widget=forms.Textarea(attrs={"rows": 4}), help_text=_placeholders_help()
    )
    next_steps = forms.CharField(
        label="What happens next",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For every category that has no paragraph of its own below.",
    )
    contact = forms.CharField(
        label="Who to contact",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The partnership's contact email, telephone and address from the help pages follow it.",
    )
    signatory_role = forms.CharField(
        label="Signed by: role", max_length=120, help_text="For example Head of School Improvement."
    )
    signatory_name = forms.CharField(
        label="Signed by: name", max_length=120, required=False, help_text="Leave blank to sign with the role only."
    )
    reason = forms.CharField(
        label="Why are you changing the wording?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the version. Not needed for a preview.",
    )

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for code, label in categories:
            self.fields[CATEGORY_PREFIX + code] = forms.CharField(
                label=f"What happens next for {code}" + (f" ({label})" if label and label != code else ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Leave blank to use the paragraph for every category.",
            )
        # the category boxes after the general paragraph
        order = ["opening", "next_steps", *(CATEGORY_PREFIX + c for c, _ in categories)]
        order += [n for n in self.fields if n not in order]
        self.order_fields(order)

    @classmethod
    def initial_from(cls, template) -> dict:
        initial = {
            name: getattr(template, name)
            for name in ("opening", "next_steps", "contact", "signatory_role", "signatory_name")
        }
        for code, text in (template.next_steps_by_category or {}).items():
            initial[CATEGORY_PREFIX + code] = text
        return initial

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in ("opening", "next_steps", "contact", "signatory_role", "signatory_name")}
        values["next_steps_by_category"] = {
            code: data.get(CATEGORY_PREFIX + code, "")
            for code, _ in self.categories
            if data.get(CATEGORY_PREFIX + code)
        }
        return values
