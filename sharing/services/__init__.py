"""Writes for data sharing: the inputs of the sharing rules and their grants (records.py), and the
Schools Causing Concern register (register.py). Each takes a keyword-only actor and audits itself."""

from .records import (
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
from .register import register_add, register_from_categorisation, register_notice_record

__all__ = [
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
