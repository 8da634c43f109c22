"""The audit trail in templates: ``{{ event|audit_changes }}``, ``{{ event.action|action_label }}``."""

from django import template

from partnership import selectors

register = template.Library()


@register.filter
def audit_changes(event):
    return selectors.audit_changes(event)


@register.filter
def action_label(code):
    return selectors.action_label(code)


@register.filter
def object_kind(object_type):
    return selectors.object_kind_label(object_type)


@register.filter
def actor_name(event):
    """The person by name where the account has one, else the username the row kept."""
    actor = event.actor
    full = actor.get_full_name() if actor is not None else ""
    return full or event.actor_label
