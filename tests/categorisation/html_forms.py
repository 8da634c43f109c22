"""Read a page's form as a browser would submit it: the fields of the first form with a CSRF token (or the
one holding ``field``), with the values shown. Tests change a few and post the rest back unchanged."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.in_template = 0
        self.first: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = {}
            if "logout" not in a.get("action", ""):  # the header's sign-out form is not the page's
                self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.setdefault(name, []).append(a.get("value", "on"))
                else:
                    self.current.setdefault(name, [])
            elif kind not in ("submit", "button", "file"):
                self.current[name] = [a.get("value", "")]
        elif tag == "select" and name:
            self.select = name
            self.first.pop(name, None)
            self.current.setdefault(name, [])
        elif tag == "option" and self.select:
            self.first.setdefault(self.select, a.get("value", ""))
            if "selected" in a:
                self.current[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.current[name] = [""]

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.current = None
        elif tag == "select" and self.select:
            if self.current is not None and not self.current[self.select] and self.select in self.first:
                self.current[self.select] = [self.first[self.select]]  # a browser sends the first option
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.current is not None and not self.in_template:
            # Django starts a textarea's content with a newline, which the browser drops.
            value = self.current[self.textarea][0] + data
            self.current[self.textarea] = [value]


def form_data(html: str, field: str = "csrfmiddlewaretoken") -> dict:
    """{name: value or [values]} of the first post form holding ``field``, as a browser would send it."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if field in form:
            out = {}
            for name, values in form.items():
                if name == "csrfmiddlewaretoken":
                    continue
                if not values:
                    continue
                out[name] = values[0].removeprefix("\n") if len(values) == 1 else values
            return out
    raise AssertionError(f"no post form with {field!r} on the page")
