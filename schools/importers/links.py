"""GIAS establishment links (links_edubasealldata): predecessor and successor URNs of the partnership's schools."""

from ..models import SchoolLink
from .base import URN_RE, Importer, Item, clean, parse_date


class LinksImporter(Importer):
    kind = "gias-links"
    label = "GIAS establishment links"
    layouts = {"links": ("URN", "LinkURN", "LinkType")}

    def start(self) -> None:
        super().start()
        self.deferred: list[tuple[int, str, dict]] = []
        self.items: dict[tuple[str, str, str], Item] = {}

    def clean_row(self, row: int, data: dict) -> None:
        urn = self.urn(row, data)
        if urn is not None:
            self.deferred.append((row, urn, data))

    def finish(self) -> None:
        self.load_schools({urn for _, urn, _ in self.deferred})
        for row, urn, data in self.deferred:
            if urn not in self.schools:
                self.counts["skipped_not_in_partnership"] += 1
                continue
            errors_before = len(self.errors)
            linked = clean(data.get("LinkURN"))
            if not URN_RE.match(linked):
                self.error(row, "LinkURN", linked, "is not a URN: a URN is 5 to 7 digits")
            link_type = clean(data.get("LinkType"))
            if not link_type:
                self.error(row, "LinkType", "", "is empty: say how the schools are linked (e.g. Predecessor)")
            established = self.value(row, data, "LinkEstablishedDate", parse_date)
            if len(self.errors) > errors_before:
                continue
            values = {"linked_name": clean(data.get("LinkName"))[:200], "established": established}
            key = (urn, linked, link_type[:60])
            if self.first_time(row, key, tuple(sorted(map(str, values.values()))), f"the link {urn} to {linked}"):
                self.items[key] = Item(row=row, values=values)

    def apply(self, *, actor) -> None:
        existing = {
            (link.school.urn, link.linked_urn, link.link_type): link
            for link in SchoolLink.objects.for_partnership(self.partnership)
            .filter(school__urn__in={k[0] for k in self.items})
            .select_related("school")
        }

        def make(key, item):
            return SchoolLink(
                partnership=self.partnership,
                school=self.schools[key[0]],
                linked_urn=key[1],
                link_type=key[2],
                **item.values,
            )

        self.upsert(actor=actor, model=SchoolLink, label="link", items=self.items, existing=existing, make=make)
