from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        # A person's roles in a partnership come from their memberships: every app's services ask
        # partnership.actors.actor_roles, which asks here.
        from partnership.actors import register_roles_lookup

        from .selectors import memberships_for_user

        register_roles_lookup(lambda user, partnership: {m.role for m in memberships_for_user(user, partnership)})
