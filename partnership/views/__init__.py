"""The partnership app's pages: people and roles (people.py) and data sharing (sharing.py)."""

from .people import (
    InvitationAcceptView,
    audit_list,
    choose_partnership,
    healthz,
    page_not_found,
    partnership_home,
    people_detail,
    people_invite,
    people_list,
    permission_denied,
)
from .sharing import (
    sharing_detail,
    sharing_memorandum,
    sharing_overview,
    sharing_partner_grant,
    sharing_partner_grant_end,
    sharing_policy,
    sharing_register_add,
    sharing_register_notice,
    sharing_support_end,
    sharing_support_start,
)

__all__ = [
    "InvitationAcceptView",
    "audit_list",
    "choose_partnership",
    "healthz",
    "page_not_found",
    "partnership_home",
    "people_detail",
    "people_invite",
    "people_list",
    "permission_denied",
    "sharing_detail",
    "sharing_memorandum",
    "sharing_overview",
    "sharing_partner_grant",
    "sharing_partner_grant_end",
    "sharing_policy",
    "sharing_register_add",
    "sharing_register_notice",
    "sharing_support_end",
    "sharing_support_start",
]
