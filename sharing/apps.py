from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Data sharing"

    def ready(self):
        # A person's access follows their roles: people tells us when memberships change.
        from people.signals import memberships_changed
        from schools.signals import schools_changed

        from .services.records import memberships_changed_receiver, schools_changed_receiver

        memberships_changed.connect(memberships_changed_receiver, dispatch_uid="sharing.memberships_changed")
        # New schools, and a cluster's members: the LA's and the cluster roles' grants follow.
        schools_changed.connect(schools_changed_receiver, dispatch_uid="sharing.schools_changed")
