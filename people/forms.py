from django import forms

from partnership.roles import Role, can_grant
from schools.forms import SchoolPickerField
from schools.models import Cluster, School


class _RoleScopeForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        help_text="Headteachers and governors need a school; cluster leads and cluster officers need a cluster.",
    )
    school = SchoolPickerField(
        queryset=School.objects.none(),
        required=False,
        empty_label="No school",
        help_text="For a headteacher or governor: start typing the school's name or URN.",
    )
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.none(), required=False, empty_label="No cluster")

    def __init__(self, *args, partnership, actor_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.for_partnership(partnership).only("id", "urn", "name")
        self.fields["cluster"].queryset = Cluster.objects.for_partnership(partnership)
        # Only the roles the person may give (partnership.roles.can_grant) are offered.
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if can_grant(actor_roles, v)[0]]


class InviteForm(_RoleScopeForm):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "role", "school", "cluster"]


class ChangeRoleForm(_RoleScopeForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Say why: it is kept in the audit trail."
    )


class EndMembershipForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Say why: it is kept in the audit trail."
    )
