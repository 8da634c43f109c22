"""Writes for the partnership app: people and roles (people.py), data sharing (sharing.py) and the
Schools Causing Concern register (register.py)."""

from .people import (
    MEMBERSHIP_FIELDS,
    PARTNERSHIP_FIELDS,
    actor_roles,
    invitation_link,
    invitation_send,
    membership_add,
    membership_change_role,
    membership_end,
    membership_invite,
    partnership_create,
)
from .register import register_add, register_from_categorisation, register_notice_record
from .sharing import (
    _months_before,
    log_data_view,
    log_data_views,
    memorandum_record,
    partner_grant,
    partner_grant_end,
    sharing_policy_change,
    sharing_recompute,
    sharing_retention_apply,
    support_end,
    support_start,
    supports_end_expired,
)

__all__ = [
    "MEMBERSHIP_FIELDS",
    "PARTNERSHIP_FIELDS",
    "actor_roles",
    "partnership_create",
    "membership_add",
    "membership_invite",
    "invitation_link",
    "invitation_send",
    "membership_change_role",
    "membership_end",
    "_months_before",
    "memorandum_record",
    "support_start",
    "support_end",
    "partner_grant",
    "partner_grant_end",
    "register_add",
    "register_from_categorisation",
    "register_notice_record",
    "sharing_policy_change",
    "sharing_recompute",
    "supports_end_expired",
    "log_data_view",
    "log_data_views",
    "sharing_retention_apply",
]
