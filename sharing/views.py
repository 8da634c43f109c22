"""Data sharing pages: who sees a school and why, and the pages that record the sharing rules' inputs.

Each page checks the same permission function its service checks (``partnership.sharing.can_*``), so a
refusal says why; the service checks it again and writes, audits and queues the recompute. A form that
fails validation changes nothing (every service is one transaction).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.forms import form_errors
from partnership.selectors import audit_for_object
from schools import selectors as school_selectors
from sharing import outcomes, rules, selectors
from sharing.forms import (
    MemorandumForm,
    PartnerGrantForm,
    ReasonForm,
    RegisterAddForm,
    RegisterNoticeForm,
    SharingPolicyForm,
    SupportForm,
)
from sharing.models import SharingPolicy
from sharing.services import (
    memorandum_record,
    partner_grant,
    partner_grant_end,
    register_add,
    register_notice_record,
    sharing_policy_change,
    support_end,
    support_start,
)


def _require(decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _school_page(request, school) -> str:
    return reverse("sharing_detail", args=[request.partnership.slug, school.urn])


def _back(request, fallback: str) -> str:
    """Where to go after a form: the school's sharing page it came from, or the overview."""
    urn = request.GET.get("from") or request.POST.get("from")
    if urn:
        school = school_selectors.school_list(request.partnership).filter(urn=urn).first()
        if school is not None:
            return _school_page(request, school)
    return fallback


def _overview(request) -> str:
    return reverse("sharing_overview", args=[request.partnership.slug])


def _posted(request):
    """The form data of a POST, even an empty one (``request.POST or None`` would leave it unbound)."""
    return request.POST if request.method == "POST" else None


def _call(form, service, **kwargs):
    """Run one service for a valid form; its refusal or validation error lands on the form. None if it failed."""
    try:
        return service(**kwargs)
    except (ValidationError, PermissionDenied) as exc:
        form_errors(form, exc)
        return None


def sharing_detail(request, partnership_slug, urn):
    """Who can see this school and why; to anyone else, why they can see it (or only its headline)."""
    school = school_selectors.get_school(request.partnership, urn)
    can_manage, manage_reason = rules.can_manage_sharing(request.user, request.roles, school)
    context = {
        "school": school,
        "mine": rules.access_for(request.user, school),
        "can_manage": can_manage,
        "manage_reason": manage_reason,
        "history": rules.memorandum_history(school),
        "can_grant": rules.can_grant_partner_access(request.roles)[0],
        "can_register": rules.can_record_register(request.roles)[0],
        "register": list(rules.register_entries_visible_to(request.user, request.partnership).filter(school=school)),
    }
    if can_manage:
        context["people"] = rules.who_can_see(request.partnership, school)
        context["supports"] = rules.supports_of_school(school)
        context["access_log"] = rules.access_log_for_school(school)
        context["today"] = timezone.localdate()
    if context["can_grant"]:
        context["grants"] = rules.partner_grants_of_school(school)
    return render(request, "sharing/sharing_detail.html", context)


def sharing_overview(request, partnership_slug):
    """The partnership's data sharing: memorandum answers, supports, partner grants and the register."""
    _require(rules.can_view_sharing_overview(request.user, request.roles, request.partnership))
    context = selectors.sharing_overview(request.user, request.roles, request.partnership)
    context["can_grant"] = rules.can_grant_partner_access(request.roles)[0]
    context["can_register"] = rules.can_record_register(request.roles)[0]
    context["can_change_policy"] = rules.can_change_sharing_policy(request.roles)[0]
    context["policy"] = rules.current_sharing_policy(request.partnership)
    return render(request, "sharing/sharing_overview.html", context)


def sharing_memorandum(request, partnership_slug, urn):
    """Record a school's answer to the memorandum; its earlier answers stay in the history."""
    school = school_selectors.get_school(request.partnership, urn)
    _require(rules.can_manage_sharing(request.user, request.roles, school))
    history = rules.memorandum_history(school)
    current = history[0] if history and history[0].superseded_at is None else None
    # A new answer is a new decision: only the named data controller carries over.
    initial = (
        {
            "data_controller": current.data_controller,
            "data_controller_name": current.data_controller_name,
            "data_controller_role": current.data_controller_role,
        }
        if current is not None
        else {}
    )
    form = MemorandumForm(_posted(request), school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = _call(form, memorandum_record, actor=request.user, school=school, **form.cleaned_data)
        if record is not None:
            messages.success(
                request,
                f"{school.name}: memorandum {record.get_status_display().lower()} recorded. "
                + outcomes.memorandum_outcome(school),
            )
            return redirect(_school_page(request, school))
    return render(
        request,
        "sharing/sharing_memorandum.html",
        {"school": school, "form": form, "history": history, "current": current},
    )


def sharing_support_start(request, partnership_slug):
    """Start a support: the supported school's head (or an LA officer) opens its data to the supporter."""
    managed = rules.schools_managed_by(request.user, request.roles, request.partnership)
    _require(rules.can_view_sharing_overview(request.user, request.roles, request.partnership))
    initial = {}
    if request.GET.get("supported"):
        initial["supported"] = managed.filter(urn=request.GET["supported"]).first()
    form = SupportForm(_posted(request), partnership=request.partnership, managed=managed, initial=initial)
    policy = rules.current_sharing_policy(request.partnership)
    if request.method == "POST" and form.is_valid():
        support = _call(form, support_start, actor=request.user, **form.cleaned_data)
        if support is not None:
            messages.success(
                request,
                f"{support.supporter.name} now supports {support.supported.name}. " + outcomes.support_outcome(support),
            )
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_support_start.html",
        {"form": form, "policy": policy, "back": _back(request, _overview(request)), "from": request.GET.get("from")},
    )


def sharing_support_end(request, partnership_slug, support_uuid):
    """End a support early, with the reason: the supporter loses access at once."""
    support = selectors.get_support(request.partnership, support_uuid)
    _require(rules.can_manage_sharing(request.user, request.roles, support.supported))
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _call(form, support_end, actor=request.user, support=support, **form.cleaned_data):
            messages.success(
                request,
                f"The support of {support.supported.name} by {support.supporter.name} ended. "
                + outcomes.support_outcome(support),
            )
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_support_end.html",
        {
            "support": support,
            "form": form,
            "back": _back(request, _overview(request)),
            "from": request.GET.get("from"),
            "audit": audit_for_object(request.partnership, support),
        },
    )


def sharing_partner_grant(request, partnership_slug):
    """Let a strategic partner see chosen schools (memorandum 3.7)."""
    _require(rules.can_grant_partner_access(request.roles))
    initial = {}
    if request.GET.get("school"):
        initial["school"] = school_selectors.school_list(request.partnership).filter(urn=request.GET["school"]).first()
    form = PartnerGrantForm(_posted(request), partnership=request.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        grants = _call(form, partner_grant, actor=request.user, **form.cleaned_data)
        if grants is not None:
            membership = form.cleaned_data["membership"]
            count = f"{len(grants)} school{'' if len(grants) == 1 else 's'}"
            messages.success(
                request,
                f"Access granted on {count}. " + outcomes.partner_outcome(membership, form.cleaned_data["schools"]),
            )
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_partner_grant.html",
        {"form": form, "back": _back(request, _overview(request)), "from": request.GET.get("from")},
    )


def sharing_partner_grant_end(request, partnership_slug, grant_uuid):
    """End a strategic partner's grant on one school, with the reason."""
    _require(rules.can_grant_partner_access(request.roles))
    grant = selectors.get_partner_grant(request.partnership, grant_uuid)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _call(form, partner_grant_end, actor=request.user, grant=grant, **form.cleaned_data):
            messages.success(request, "The grant ended. " + outcomes.partner_outcome(grant.membership, [grant.school]))
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_partner_grant_end.html",
        {
            "grant": grant,
            "form": form,
            "back": _back(request, _overview(request)),
            "from": request.GET.get("from"),
            "audit": audit_for_object(request.partnership, grant),
        },
    )


def sharing_register_add(request, partnership_slug):
    """Put a school on the Schools Causing Concern register."""
    _require(rules.can_record_register(request.roles))
    initial = {}
    if request.GET.get("school"):
        initial["school"] = school_selectors.school_list(request.partnership).filter(urn=request.GET["school"]).first()
    form = RegisterAddForm(_posted(request), partnership=request.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = _call(form, register_add, actor=request.user, **form.cleaned_data)
        if entry is not None:
            messages.success(
                request,
                f"{entry.school.name} is on the Schools Causing Concern register. " + outcomes.register_outcome(entry),
            )
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_register_add.html",
        {"form": form, "back": _back(request, _overview(request)), "from": request.GET.get("from")},
    )


def sharing_register_notice(request, partnership_slug, entry_uuid):
    """Record the formal warning notice issued against a register entry: it stops being confidential."""
    _require(rules.can_record_register(request.roles))
    entry = selectors.get_register_entry(request.partnership, entry_uuid)
    form = RegisterNoticeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = _call(
            form,
            register_notice_record,
            actor=request.user,
            entry=entry,
            issued_on=data["warning_notice_issued_on"],
            reason=data["reason"],
        )
        if recorded is not None:
            entry.refresh_from_db()
            messages.success(request, "Warning notice recorded. " + outcomes.register_outcome(entry))
            return redirect(_back(request, _overview(request)))
    return render(
        request,
        "sharing/sharing_register_notice.html",
        {
            "entry": entry,
            "form": form,
            "back": _back(request, _overview(request)),
            "from": request.GET.get("from"),
            "audit": audit_for_object(request.partnership, entry),
        },
    )


def sharing_policy(request, partnership_slug):
    """The partnership's sharing policy: the current version, its history, and a form for a new version."""
    _require(rules.can_change_sharing_policy(request.roles))
    current = rules.current_sharing_policy(request.partnership)
    form = SharingPolicyForm(_posted(request), initial=current.values())
    if request.method == "POST" and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in SharingPolicy.RULES}
        policy = _call(
            form,
            sharing_policy_change,
            actor=request.user,
            partnership=request.partnership,
            reason=form.cleaned_data["reason"],
            **choices,
        )
        if policy is not None:
            messages.success(request, f"Sharing policy {policy.label} applies now; access is recomputed.")
            return redirect(request.path)
    fields = [(name, SharingPolicy._meta.get_field(name)) for name in SharingPolicy.RULES]
    return render(
        request,
        "sharing/sharing_policy.html",
        {
            "form": form,
            "current": current,
            "current_rules": [(field.verbose_name, getattr(current, name)) for name, field in fields],
            "rules": fields,
            "history": [
                (version, [getattr(version, name) for name, _ in fields])
                for version in rules.sharing_policy_history(request.partnership)
            ],
        },
    )
