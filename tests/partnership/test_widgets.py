"""The form renderer (partnership/widgets.py) draws every widget with GOV.UK Frontend's classes, the error modifier on
a field with errors, and keeps a widget's own classes."""

from django import forms


class Everything(forms.Form):
    name = forms.CharField()
    email = forms.EmailField(required=False)
    count = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"class": "app-input--short"}))
    notes = forms.CharField(required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect, required=False)
    tick = forms.BooleanField(required=False)
    file = forms.FileField(required=False)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


def test_each_widget_has_its_govuk_class():
    form = Everything()
    assert 'class="govuk-input"' in str(form["name"]) and 'class="govuk-input"' in str(form["email"])
    assert 'class="govuk-input app-input--short"' in str(form["count"])
    assert 'class="govuk-textarea"' in str(form["notes"]) and 'class="govuk-select"' in str(form["kind"])
    assert 'class="govuk-checkboxes__input"' in str(form["tick"])
    assert 'class="govuk-file-upload"' in str(form["file"])
    assert all('class="govuk-radios__input"' in option.tag() for option in form["colour"])
    assert "class=" not in str(form["secret"])


def test_a_field_with_an_error_has_the_error_modifier():
    form = Everything(data={"name": "", "email": "not an email"})
    assert not form.is_valid()
    assert 'class="govuk-input govuk-input--error"' in str(form["name"])
    assert 'class="govuk-input govuk-input--error"' in str(form["email"])
    assert "--error" not in str(form["notes"])
