"""What every app's forms share."""

from django.core.exceptions import ValidationError


def form_errors(form, exc) -> None:
    """A service's refusal or validation error on the form: on the field it names, else above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for message in messages_:
            form.add_error(None, message)
