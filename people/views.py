"""Pages for a partnership's people: choosing a partnership, people and roles, accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from partnership.forms import form_errors
from partnership.permissions import rule_required
from partnership.roles import can_manage_people
from partnership.scoping import partnership_scope
from partnership.selectors import audit_for_object
from people.forms import ChangeRoleForm, EndMembershipForm, InviteForm
from people.selectors import (
    get_membership,
    invitations_waiting,
    membership_list,
    partnerships_for_user,
    pending_invitations_for,
)
from people.services import (
    invitation_accept,
    invitation_decline,
    membership_change_role,
    membership_end,
    membership_invite,
)


@login_required
def choose_partnership(request):
    """Home for a signed-in person: straight to their partnership, or a choice when they have several."""
    partnerships = list(partnerships_for_user(request.user))
    remembered = request.session.get("partnership_slug")
    if len(partnerships) == 1:
        return redirect("partnership_home", partnership_slug=partnerships[0].slug)
    if remembered and request.GET.get("switch") is None and any(p.slug == remembered for p in partnerships):
        return redirect("partnership_home", partnership_slug=remembered)
    return render(request, "people/choose.html", {"partnerships": partnerships})


@rule_required(can_manage_people)
def people_list(request, partnership_slug):
    include_ended = request.GET.get("ended") == "1"
    page = Paginator(membership_list(request.partnership, include_ended=include_ended), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/people_list.html",
        {"page": page, "include_ended": include_ended, "invitations": invitations_waiting(request.partnership)},
    )


@rule_required(can_manage_people)
def people_invite(request, partnership_slug):
    form = InviteForm(request.POST or None, partnership=request.partnership, actor_roles=request.roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = membership_invite(actor=request.user, partnership=request.partnership, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form_errors(form, exc)
        else:
            where = invitation.school or invitation.cluster
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. They join as {invitation.get_role_display().lower()}"
                + (f" of {where}" if where else "")
                + " once they accept it.",
            )
            return redirect("people_list", partnership_slug=partnership_slug)
    return render(request, "people/people_invite.html", {"form": form})


@rule_required(can_manage_people)
def people_detail(request, partnership_slug, membership_uuid):
    membership = get_membership(request.partnership, membership_uuid)
    initial = {"role": membership.role, "school": membership.school, "cluster": membership.cluster}
    change_form = ChangeRoleForm(partnership=request.partnership, actor_roles=request.roles, initial=initial)
    end_form = EndMembershipForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "change":
            change_form = ChangeRoleForm(request.POST, partnership=request.partnership, actor_roles=request.roles)
            form, call = change_form, membership_change_role
        else:
            end_form = EndMembershipForm(request.POST)
            form, call = end_form, membership_end
        if form.is_valid():
            try:
                call(actor=request.user, membership=membership, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "Membership ended." if call is membership_end else "Role changed.")
                return redirect(request.path)
    return render(
        request,
        "people/people_detail.html",
        {
            "membership": membership,
            "change_form": change_form,
            "end_form": end_form,
            "audit": audit_for_object(request.partnership, membership),
            "can_manage": can_manage_people(request.roles)[0],
        },
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time link in an invitation: choose a password, then sign in."""

    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Choosing the password is how a new account accepts what it was invited to.
        joined = [_accept(self.user, invitation) for invitation in pending_invitations_for(self.user)]
        messages.success(
            self.request,
            "Your password is set"
            + (f" and you have joined {', '.join(sorted({p.name for p in joined}))}" if joined else "")
            + ". Sign in to continue.",
        )
        return response


def _accept(user, invitation):
    with partnership_scope(invitation.partnership_id):
        invitation_accept(actor=user, invitation=invitation)
    return invitation.partnership


@login_required
def invitation_respond(request, invitation_uuid):
    """An existing account's invitation: the person signs in as themselves and accepts or declines.
    Anyone else, and a link already answered, gets the same 'not found' as a link that never was."""
    invitation = next((i for i in pending_invitations_for(request.user) if i.uuid == invitation_uuid), None)
    if invitation is None:
        raise Http404("No invitation waiting for you at this address.")
    if request.method == "POST":
        with partnership_scope(invitation.partnership_id):
            if request.POST.get("action") == "decline":
                invitation_decline(actor=request.user, invitation=invitation)
                messages.success(request, f"You have declined the invitation to {invitation.partnership.name}.")
                return redirect("home")
            invitation_accept(actor=request.user, invitation=invitation)
        messages.success(
            request, f"You have joined {invitation.partnership.name} as {invitation.get_role_display().lower()}."
        )
        return redirect("partnership_home", partnership_slug=invitation.partnership.slug)
    return render(request, "registration/invitation_respond.html", {"invitation": invitation})
