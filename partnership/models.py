import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django_scopes import ScopedManager

ACADEMIC_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_academic_year(value: str) -> None:
    match = ACADEMIC_YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"{value!r} is not an academic year such as 2022-23.")


def validate_la_codes(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give at least one LA code.")
    for code in value:
        if not re.fullmatch(r"\d{3}", str(code)):
            raise ValidationError(f"{code!r} is not a three-digit DfE LA code such as 381.")


# The fields of what the partnership's own help, privacy and accessibility pages say
# (partnership.views.service_page); an LA officer edits them at /p/<slug>/service-pages/.
SERVICE_PAGE_FIELDS = (
    "contact_email",
    "contact_phone",
    "contact_address",
    "data_controller",
    "data_protection_contact",
    "privacy_extra",
    "accessibility_extra",
    "help_extra",
)


class WordedConstraints(models.Model):
    """A model whose constraints refuse in words a person reads. ``constraint_messages`` gives, for each
    constraint's name, the sentence shown when a save would break it, in place of Django's "School with
    this Partnership and Urn already exists" or "Constraint “one_full_cluster_per_school” is violated".
    tests/test_words.py checks that every constraint of every model has one."""

    constraint_messages: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    words = self.constraint_messages.get(constraint.name)
                    error = ValidationError(words, code=getattr(exc, "code", None)) if words else exc
                    fields = getattr(constraint, "fields", ())
                    if len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class Partnership(WordedConstraints):
    """The tenant: one local authority's school improvement partnership."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    la_codes = models.JSONField(
        default=list, validators=[validate_la_codes], help_text='Three-digit DfE LA codes, e.g. ["381"].'
    )
    academic_year_start_month = models.PositiveSmallIntegerField(
        default=9, help_text="The month the academic year starts: 9 for September."
    )
    current_academic_year = models.CharField(max_length=7, default="2022-23", validators=[validate_academic_year])
    data_retention_months = models.PositiveSmallIntegerField(
        default=84, help_text="How long shared data and its access log are kept, in months (84 is seven years)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What the service's own pages (help, privacy, accessibility) say for this partnership, as its LA
    # officers write it at /p/<slug>/service-pages/; a blank field leaves that part of the page out.
    contact_email = models.EmailField(
        "contact email",
        blank=True,
        help_text="Where people write for help with the service, e.g. schools@calderdale.gov.uk.",
    )
    contact_phone = models.CharField("contact telephone", max_length=40, blank=True)
    contact_address = models.TextField("contact address", blank=True, help_text="The postal address, one line a part.")
    data_controller = models.CharField(
        "data controller",
        max_length=200,
        blank=True,
        help_text="Who decides how personal data is used here, usually the council, e.g. Calderdale Council.",
    )
    data_protection_contact = models.TextField(
        "data protection officer",
        blank=True,
        help_text="How to reach the data protection officer: an email address or postal address.",
    )
    privacy_extra = models.TextField(
        "more for the privacy notice",
        blank=True,
        help_text="Anything the privacy notice must add for this partnership.",
    )
    accessibility_extra = models.TextField(
        "more for the accessibility statement",
        blank=True,
        help_text="Anything to add, such as other formats the LA offers or known problems with its documents.",
    )
    help_extra = models.TextField(
        "more for the help page", blank=True, help_text="Anything to add to the help page, such as office hours."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("slug",):
            return ValidationError(
                "Another partnership already has this web address name: choose another.", code="unique"
            )
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        if not 1 <= self.academic_year_start_month <= 12:
            raise ValidationError({"academic_year_start_month": "Give a month from 1 to 12."})


class TenantQuerySet(models.QuerySet):
    """A tenant-owned table's queries. ``for_partnership`` names the partnership a selector reads within;
    the scope (below) makes sure nothing else leaks even where a selector forgets it."""

    def for_partnership(self, partnership: Partnership):
        return self.filter(partnership=partnership)


def tenant_manager(queryset_class: type[models.QuerySet] = TenantQuerySet):
    """The manager of every tenant-owned table, scoped with django-scopes on the ``partnership`` dimension.

    Inside ``django_scopes.scope(partnership=p)`` every query sees p's rows only; outside any scope a
    query raises ``ScopeError`` instead of returning every partnership's rows. The scope is entered by
    the people middleware for every request under /p/<slug>/ and /api/p/<slug>/, and explicitly by each
    task and command (``partnership.scoping``). Code that must read across partnerships says so with
    ``django_scopes.scopes_disabled()``.
    """
    return ScopedManager(partnership="partnership", _manager_class=models.Manager.from_queryset(queryset_class))


class TenantModel(WordedConstraints):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")

    objects = tenant_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change made through a service: who, where, what, before and after, why and when."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="The actor's username, kept if the user goes.")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        blank = (None, "")
        return [
            (k, before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k) and not (before.get(k) in blank and after.get(k) in blank)
        ]


class SignInCounter(WordedConstraints):
    """How many passwords have been checked for one username from one address since the last
    successful sign-in (or since the lockout's cool-off ran out). A check is counted, with this row
    locked, before the password is checked, so simultaneous attempts cannot pass the limit together."""

    username = models.CharField(max_length=150)
    ip_address = models.CharField(max_length=45, blank=True)
    checks = models.PositiveIntegerField(default=0)
    last_check_at = models.DateTimeField()

    constraint_messages = {"signin_counter_unique": "Sign-in attempts are already being counted for this username."}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "ip_address"], name="signin_counter_unique")]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address or 'an unknown address'}: {self.checks}"
