from django.apps import AppConfig


class CategorisationConfig(AppConfig):
    name = "categorisation"

    def ready(self) -> None:
        from partnership.audit_changes import register_summary

        from .engine.conditions import describe

        # A criterion's or row's condition reads in the audit trail as it does in the editor's text.
        register_summary(object_type="categorisation.frameworkversion", key="when", summarise=describe)
