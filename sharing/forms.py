"""The forms of the sharing pages: the inputs of the sharing rules."""

from django import forms

from partnership.roles import Role
from people.models import Membership
from schools.forms import SchoolPickerField
from schools.models import Cluster, ClusterMembership, School

from .models import ConcernRegisterEntry, MemorandumStatus, SharingPolicy, StrategicPartnerGrant

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "For example, 20/9/2023."
REASON_HINT = "Say why: it is kept in the audit trail."


def _date_field(label: str, *, required_message: str = "", help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=bool(required_message),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=help_text,
        error_messages={
            "required": required_message,
            "invalid": f"{label} must be a real date, for example 20/9/2023.",
        },
    )


def _text(label: str, required_message: str, *, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message},
    )


def _school_choice(label: str, queryset, required_message: str, **kwargs) -> forms.ModelChoiceField:
    return SchoolPickerField(
        label=label,
        queryset=queryset,
        to_field_name="urn",
        empty_label="Choose a school",
        error_messages={
            "required": required_message,
            "invalid_choice": f"{label}: choose one of the schools in the list.",
        },
        **kwargs,
    )


def _name_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=150, required=False, help_text=help_text)


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class _MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.user.get_full_name()
        return f"{full} ({obj.user.username})" if full else obj.user.username


class ReasonForm(forms.Form):
    """Ending a support or a grant: the reason is all it needs."""

    reason = _text("Reason", "Say why it ends: the reason is kept in the audit trail.", help_text=REASON_HINT)


class MemorandumForm(forms.Form):
    """A school's answer to the memorandum (memorandum 3.1, 3.2, 3.5)."""

    conditional_fields = (  # see each hint
        "signed_on",
        "governors_minute_ref",
        "signatory_name",
        "signatory_role",
        "data_controller_name",
        "data_controller_role",
        "note",
    )
    NEEDED_TO_SIGN = {
        "signed_on": "Give the date the memorandum was signed.",
        "governors_minute_ref": "Give the governors' minute that agreed it.",
        "signatory_name": "Give the name of the person who signed for the school.",
        "signatory_role": "Give the role of the person who signed, for example chair of governors.",
        "data_controller_name": "Give the name of the person who controls access to the school's data.",
        "data_controller_role": "Give the data controller's role, for example headteacher.",
    }

    status = forms.ChoiceField(
        label="Answer to the memorandum",
        choices=MemorandumStatus.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the school's answer: signed, declined or withdrawn."},
    )
    signed_on = _date_field("Date signed", help_text=f"Needed if the school signed. {DATE_HINT}")
    governors_minute_ref = forms.CharField(
        label="Governors' minute reference",
        max_length=120,
        required=False,
        help_text="Needed if the school signed: the governing body minute that agreed it, for example FGB 2023/14.",
    )
    signatory_name = _name_field("Name of the person who signed", "Needed if the school signed.")
    signatory_role = _name_field(
        "Role of the person who signed", "Needed if the school signed: for example, chair of governors."
    )
    data_controller_name = _name_field(
        "Name of the data controller",
        "Needed if the school signed: the person who controls access to the school's data (memorandum 3.2). "
        "They need no account.",
    )
    data_controller_role = _name_field(
        "Data controller's role", "Needed if the school signed: for example, headteacher."
    )
    data_controller = _UserChoiceField(
        label="The data controller's account",
        queryset=None,
        to_field_name="username",
        required=False,
        empty_label="They have no account",
        help_text="If the data controller is a headteacher or governor of the school with an account, choose it: "
        "they may then record the school's data sharing.",
        error_messages={"invalid_choice": "Choose a person of the school from the list."},
    )
    note = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if the school declined or withdrew: say why. Kept with the answer.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        people = Membership.objects.for_partnership(school.partnership).active().filter(school=school)
        self.fields["data_controller"].queryset = (
            get_user_model().objects.filter(pk__in=people.values("user_id")).order_by("username")
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == MemorandumStatus.Status.SIGNED:
            for name, message in self.NEEDED_TO_SIGN.items():
                value = data.get(name)
                if name not in self.errors and not (value.strip() if isinstance(value, str) else value):
                    self.add_error(name, message)
        return data


class SupportForm(forms.Form):
    """School A supports school B: B's data opens to A's people for the support (memorandum 3.3)."""

    supporter = _school_choice("Supporting school", School.objects.none(), "Choose the school that gives the support.")
    supported = _school_choice(
        "Supported school",
        School.objects.none(),
        "Choose the school that receives the support.",
        help_text="Its data opens to the supporting school's people for the life of the support.",
    )
    purpose = _text("Purpose", "Say what the support is for.", help_text="What the support is for, in a sentence.")
    starts_on = _date_field("Start date", required_message="Enter the date the support starts.")
    ends_on = _date_field(
        "End date", help_text=f"The last day of the support; leave empty while it is open-ended. {DATE_HINT}"
    )

    def __init__(self, *args, partnership, managed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = School.objects.for_partnership(partnership).only("id", "urn", "name")
        self.fields["supported"].queryset = managed.only("id", "urn", "name")
        self.fields["supported"].error_messages["invalid_choice"] = (
            "Supported school: choose a school whose data you manage, from the list."
        )


class PartnerGrantForm(forms.Form):
    """What the partnership lets a strategic partner see (memorandum 3.7)."""

    membership = _MembershipChoiceField(
        label="Strategic partner",
        queryset=Membership.objects.none(),
        to_field_name="uuid",
        empty_label="Choose a strategic partner",
        error_messages={
            "required": "Choose the strategic partner.",
            "invalid_choice": "Strategic partner: choose one of the partners in the list.",
        },
    )
    school = _school_choice(
        "School the partner may see",
        School.objects.none(),
        "",
        required=False,
        help_text="Start typing its name or URN. Or choose a cluster below for all its schools.",
    )
    cluster = forms.ModelChoiceField(
        label="Or all schools in a cluster",
        queryset=Cluster.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="No cluster",
        help_text="Its full and associate member schools as they are today: a school that joins later is not included.",
        error_messages={"invalid_choice": "Cluster: choose one of the clusters in the list."},
    )
    access = forms.ChoiceField(
        label="What the partner sees",
        choices=StrategicPartnerGrant.Access.choices,
        initial=StrategicPartnerGrant.Access.FULL,
        widget=forms.RadioSelect,
        help_text="Full data is still capped at the headline for a school that does not share its data.",
        error_messages={"required": "Choose what the partner sees."},
    )
    starts_on = _date_field("Start date", required_message="Enter the date the grant starts.")
    ends_on = _date_field("End date", help_text=f"Leave empty for a grant with no end date. {DATE_HINT}")
    reason = _text("Reason", "Say why the partnership shares these schools' data with the partner.")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.for_partnership(partnership)
            .active()
            .filter(role=Role.PARTNER)
            .select_related("user")
            .order_by("user__username")
        )
        self.fields["school"].queryset = School.objects.for_partnership(partnership).only("id", "urn", "name")
        self.fields["cluster"].queryset = Cluster.objects.for_partnership(partnership)

    conditional_fields = ("school", "cluster")  # one or the other: see the hints

    def clean(self):
        """The schools granted: the one chosen, and every school of the cluster chosen, once each."""
        data = super().clean()
        school, cluster = data.pop("school", None), data.pop("cluster", None)
        schools = {school.pk: school} if school else {}
        if cluster is not None:
            members = ClusterMembership.objects.for_partnership(cluster.partnership).filter(cluster=cluster)
            for member in members.select_related("school").only("school__id", "school__urn", "school__name"):
                schools.setdefault(member.school_id, member.school)
            if not members.exists():
                self.add_error("cluster", f"{cluster.name} has no schools yet: choose a school instead.")
        if not schools and "school" not in self.errors and "cluster" not in self.errors:
            self.add_error("school", "Choose a school or a cluster the partner may see.")
        data["schools"] = sorted(schools.values(), key=lambda s: s.name)
        return data


class RegisterAddForm(forms.Form):
    """Put a school on the Schools Causing Concern register."""

    school = _school_choice("School", School.objects.none(), "Choose the school.")
    reason_kind = forms.ChoiceField(
        label="Why the school is on the register",
        choices=[
            (ConcernRegisterEntry.ReasonKind.OFSTED, ConcernRegisterEntry.ReasonKind.OFSTED.label),
            (ConcernRegisterEntry.ReasonKind.OTHER, ConcernRegisterEntry.ReasonKind.OTHER.label),
        ],
        widget=forms.RadioSelect,
        help_text="An entry for another concern stays confidential to the LA and the school until a formal "
        "warning notice is issued.",
        error_messages={"required": "Choose why the school is on the register."},
    )
    reason = _text("Reason", "Say why the school is on the register.", help_text="The concern, in a sentence or two.")
    added_on = _date_field("Date added", required_message="Enter the date the school was put on the register.")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.for_partnership(partnership).only("id", "urn", "name")


class RegisterNoticeForm(forms.Form):
    """A formal warning notice was issued against a register entry."""

    warning_notice_issued_on = _date_field(
        "Date the notice was issued", required_message="Enter the date the warning notice was issued."
    )
    reason = _text(
        "About the notice",
        "Say which notice was issued and its reference.",
        help_text="Which notice (s60 performance standards and safety, or s60A pay and conditions) and its "
        "reference. Kept in the audit trail.",
    )


class SharingPolicyForm(forms.Form):
    """A new version of the partnership's sharing policy: every rule, and why it changes."""

    reason = _text("Why the policy changes", "Say why the policy changes: it is kept with the version.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = {}
        for name in SharingPolicy.RULES:
            field = SharingPolicy._meta.get_field(name)
            rules[name] = forms.BooleanField(label=field.verbose_name, help_text=field.help_text, required=False)
        self.fields = {**rules, **self.fields}
