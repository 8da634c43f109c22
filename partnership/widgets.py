"""Every form field drawn as GOV.UK Frontend draws it: the form renderer gives each widget its govuk-* class (and the
error modifier when Django marks the field aria-invalid), so templates render `{{ field }}` or `{{ option.tag }}` and
never repeat the classes."""

from django.forms.renderers import DjangoTemplates

INPUT_CLASSES = {"checkbox": "govuk-checkboxes__input", "radio": "govuk-radios__input", "file": "govuk-file-upload"}
TEMPLATE_CLASSES = {
    "django/forms/widgets/select.html": "govuk-select",
    "django/forms/widgets/textarea.html": "govuk-textarea",
}
WITH_ERROR_STYLE = {"govuk-input", "govuk-select", "govuk-textarea", "govuk-file-upload"}


def govuk_class(widget: dict) -> str | None:
    if widget.get("template_name") in TEMPLATE_CLASSES:
        return TEMPLATE_CLASSES[widget["template_name"]]
    kind = widget.get("type")
    if kind in (None, "hidden") or widget.get("optgroups") is not None:
        return None
    return INPUT_CLASSES.get(kind, "govuk-input")


class GovukFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if isinstance(widget, dict) and (name := govuk_class(widget)):
            attrs = dict(widget.get("attrs") or {})
            classes = [name]
            if name in WITH_ERROR_STYLE and attrs.get("aria-invalid") == "true":
                classes.append(f"{name}--error")
            attrs["class"] = " ".join([*classes, *attrs.get("class", "").split()])
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return super().render(template_name, context, request)
