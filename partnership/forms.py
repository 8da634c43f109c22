"""What every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError

from .models import SERVICE_PAGE_FIELDS, Partnership


def form_errors(form, exc) -> None:
    """A service's refusal or validation error on the form: on the field it names, else above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for message in messages_:
            form.add_error(None, message)


class AuditFilterForm(forms.Form):
    """The audit page's filters, read from the query string; choices are what the trail holds."""

    person = forms.ChoiceField(label="Who", required=False)
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    action = forms.ChoiceField(label="What happened", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="For example 2023-09-01"
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="For example 2024-07-31"
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        anyone = [("", "Anyone")]
        self.fields["person"].choices = anyone + choices.people
        self.fields["object_type"].choices = [("", "Any kind")] + choices.object_kinds
        self.fields["action"].choices = [("", "Any action")] + choices.actions
        messages_ = {
            "invalid_choice": "Choose one of the options in the list: that one is not in this trail.",
        }
        for name in ("person", "object_type", "action"):
            self.fields[name].error_messages.update(messages_)
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = "Enter a real date, such as 2023-09-01."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date.")
        return cleaned

    def filters(self) -> dict:
        """The filters that are valid, for the selector; a mistaken one is left out (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if data.get(name) and name not in self.errors}


class ServicePagesForm(forms.ModelForm):
    """What the partnership's help, privacy and accessibility pages say; saved by services.partnership_pages_edit."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit trail with the change.",
        label="Why you are changing this",
    )

    class Meta:
        model = Partnership
        fields = list(SERVICE_PAGE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "contact_address",
                "data_protection_contact",
                "privacy_extra",
                "accessibility_extra",
                "help_extra",
            )
        }

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip()
