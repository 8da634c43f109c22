from django.apps import AppConfig


class CategorisationConfig(AppConfig):
    name = "categorisation"

    def ready(self) -> None:
        from partnership.audit_changes import register_summary
        from schools.standing import register_confirmed_categories

        from .engine.conditions import describe
        from .selectors import latest_confirmed_categories

        # A criterion's or row's condition reads in the audit trail as it does in the editor's text.
        register_summary(object_type="categorisation.frameworkversion", key="when", summarise=describe)
        # Funding marks the bids of schools in a priority category by the latest confirmed one.
        register_confirmed_categories(latest_confirmed_categories)
