"""Pages for the partnership itself: home, people and roles, the audit trail, error pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from schools import selectors as school_selectors

from .. import selectors, services
from ..forms import ChangeRoleForm, EndMembershipForm, InviteForm
from ..permissions import role_required
from ..roles import PLATFORM_ADMIN, Role, can_manage_people

OFFICERS = (Role.OFFICER,)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def choose_partnership(request):
    """Home for a signed-in person: straight to their partnership, or a choice when they have several."""
    partnerships = list(selectors.partnerships_for_user(request.user))
    remembered = request.session.get("partnership_slug")
    if len(partnerships) == 1:
        return redirect("partnership_home", partnership_slug=partnerships[0].slug)
    if remembered and request.GET.get("switch") is None and any(p.slug == remembered for p in partnerships):
        return redirect("partnership_home", partnership_slug=remembered)
    return render(request, "partnership/choose.html", {"partnerships": partnerships})


def partnership_home(request, partnership_slug):
    partnership = request.partnership
    roles = request.roles
    context = {"partnership": partnership, "memberships": request.memberships}
    if roles & {Role.OFFICER, PLATFORM_ADMIN, Role.BOARD, Role.PARTNER}:
        context["school_count"] = school_selectors.school_list(partnership).count()
        context["clusters"] = list(school_selectors.cluster_list(partnership))
    if roles & {Role.OFFICER, PLATFORM_ADMIN}:
        counts = dict(selectors.membership_list(partnership).values_list("role").annotate(n=Count("id")).order_by())
        context["people_rows"] = [(label, counts.get(value, 0)) for value, label in Role.choices]
        context["recent_audit"] = list(selectors.audit_list(partnership).select_related("actor")[:8])
    context["my_clusters"] = [
        (m, list(school_selectors.cluster_members(m.cluster))) for m in request.memberships if m.cluster_id
    ]
    context["my_schools"] = [
        (m, list(school_selectors.school_clusters(m.school))) for m in request.memberships if m.school_id
    ]
    return render(request, "partnership/home.html", context)


@role_required(*OFFICERS)
def people_list(request, partnership_slug):
    include_ended = request.GET.get("ended") == "1"
    page = Paginator(selectors.membership_list(request.partnership, include_ended=include_ended), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partnership/people_list.html", {"page": page, "include_ended": include_ended})


@role_required(*OFFICERS)
def people_invite(request, partnership_slug):
    form = InviteForm(request.POST or None, partnership=request.partnership, actor_roles=request.roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.membership_invite(
                actor=request.user, partnership=request.partnership, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect(
                "people_detail", partnership_slug=partnership_slug, membership_uuid=invitation.membership.uuid
            )
    return render(request, "partnership/people_invite.html", {"form": form})


@role_required(*OFFICERS)
def people_detail(request, partnership_slug, membership_uuid):
    membership = selectors.get_membership(request.partnership, membership_uuid)
    initial = {"role": membership.role, "school": membership.school, "cluster": membership.cluster}
    change_form = ChangeRoleForm(partnership=request.partnership, actor_roles=request.roles, initial=initial)
    end_form = EndMembershipForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "change":
            change_form = ChangeRoleForm(request.POST, partnership=request.partnership, actor_roles=request.roles)
            form, call = change_form, services.membership_change_role
        else:
            end_form = EndMembershipForm(request.POST)
            form, call = end_form, services.membership_end
        if form.is_valid():
            try:
                call(actor=request.user, membership=membership, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, "Membership ended." if call is services.membership_end else "Role changed.")
                return redirect(request.path)
    return render(
        request,
        "partnership/people_detail.html",
        {
            "membership": membership,
            "change_form": change_form,
            "end_form": end_form,
            "audit": selectors.audit_for_object(request.partnership, membership),
            "can_manage": can_manage_people(request.roles)[0],
        },
    )


@role_required(*OFFICERS)
def audit_list(request, partnership_slug):
    page = Paginator(selectors.audit_list(request.partnership).select_related("actor"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partnership/audit_list.html", {"page": page})


def _form_errors(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for message in messages_:
            form.add_error(None, message)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time link in an invitation: choose a password, then sign in."""

    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in to continue.")
        return response


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "You do not have access to this page."
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
