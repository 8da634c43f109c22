from django import forms

from partnership.models import validate_academic_year

from .importers import KIND_CHOICES
from .models import Grade, Phase, SchoolType

MAX_UPLOAD_BYTES = 60 * 1024 * 1024


class SchoolPickerField(forms.ModelChoiceField):
    """A school chosen from a select that static/js/school-picker.js turns into a search-as-you-type box.

    Each option reads "name (URN)", so two schools of one name stay apart and a URN can be typed. Without
    JavaScript the plain select works the same."""

    widget = forms.Select(attrs={"data-school-picker": ""})

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.urn})"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=KIND_CHOICES,
        help_text="The DfE, GIAS or Ofsted download the file comes from, or the LA's own local data CSV.",
    )
    file = forms.FileField(
        label="CSV file",
        help_text="A CSV file as downloaded (UTF-8 or Windows-1252). National files are fine: other LAs' rows "
        "are skipped and counted.",
    )
    academic_year = forms.CharField(
        label="Academic year (if the file does not say)",
        required=False,
        max_length=7,
        validators=[validate_academic_year],
        help_text="For example 2018-19. Needed for the slim KS2/KS4 files; raw DfE files name it themselves.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 60 MB: split it or filter it to your LAs first.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label="Name, URN or postcode", required=False)
    cluster = forms.ChoiceField(required=False)
    phase = forms.ChoiceField(required=False, choices=[("", "Any phase"), *Phase.choices])
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "Any type"), *SchoolType.choices])
    grade = forms.ChoiceField(
        label="Latest Ofsted grade",
        required=False,
        choices=[("", "Any grade"), *[(str(v), label) for v, label in Grade.choices], ("none", "Not inspected")],
    )
    category = forms.ChoiceField(label="Category", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("name", "Name A to Z"),
            ("-name", "Name Z to A"),
            ("urn", "URN"),
            ("pupils", "Pupils, fewest"),
            ("-pupils", "Pupils, most"),
            ("ofsted", "Ofsted grade, best first"),
            ("-ofsted", "Ofsted grade, weakest first"),
            ("cluster", "Cluster"),
        ],
    )

    def __init__(self, *args, clusters, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category"), *[(c, c) for c in categories]]
        self.fields["cluster"].choices = [("", "Any cluster"), *[(c.slug, c.name) for c in clusters]]


# ---- the LA's judgements of one school for a year ------------------------------------------------
