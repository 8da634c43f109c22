from schools.forms import SchoolFilterForm

CATEGORY_SORTS = [("category", "Category, in the framework's order"), ("-category", "Category, in reverse order")]


class SchoolListForm(SchoolFilterForm):
    """The school list's filters, with the categories the person is shown (code, framework name) to filter
    by and the framework's category order to sort by."""

    def __init__(self, *args, clusters, categories=(), **kwargs):
        super().__init__(*args, clusters=clusters, **kwargs)
        self.fields["category"].choices = [("", "Any category"), *categories]
        self.fields["sort"].choices = [*self.fields["sort"].choices, *CATEGORY_SORTS]
