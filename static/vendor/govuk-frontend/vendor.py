"""Re-vendor GOV.UK Frontend from the npm registry, with no Node step: `python static/vendor/govuk-frontend/vendor.py
[VERSION]` downloads the package's tarball, checks it against the registry's integrity hash and writes its built CSS
and JS (dist/govuk/govuk-frontend.min.css, govuk-frontend.min.js, an ES module) beside this file, with LICENSE and
VERSION.

The CSS loses the GDS Transport typeface, which GOV.UK keeps for GOV.UK's own services: its @font-face rules go, and
every font stack falls back to Arial, so pages make no font requests. The crown is left out by the header template
(templates/base.html), which never uses the crown's markup. Source-map comments go too: the maps are not vendored."""

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "govuk-frontend"
DEFAULT_VERSION = "5.14.0"
HERE = Path(__file__).resolve().parent
FILES = {
    "package/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
    "package/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
}

# The npm package carries no licence file; its package.json says MIT, and this is the repository's LICENSE.txt.
LICENSE = """The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def download(package: str, version: str) -> tarfile.TarFile:
    """The package's tarball from the registry, refused unless it matches the registry's sha512 integrity."""
    with urllib.request.urlopen(f"https://registry.npmjs.org/{package}/{version}", timeout=60) as answer:
        dist = json.load(answer)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=120) as answer:
        data = answer.read()
    algorithm, _, expected = dist["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        sys.exit(f"{dist['tarball']} does not match its integrity {dist['integrity']}")
    return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")


def without_source_map(text: str) -> str:
    return re.sub(r"\s*/[*/]# sourceMappingURL=\S+(\s*\*/)?\s*$", "\n", text)


def without_gds_transport(css: str) -> str:
    css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
    css = css.replace('font-family:"GDS Transport",', "font-family:").replace(
        "font-family:GDS Transport,", "font-family:"
    )
    if "GDS Transport" in css or "/assets/fonts/" in css:
        sys.exit("GDS Transport is still named in the CSS: this version needs a new rule here")
    return css


def main(version: str) -> None:
    with download(PACKAGE, version) as tar:
        for member, name in FILES.items():
            text = without_source_map(tar.extractfile(member).read().decode())
            if name.endswith(".css"):
                text = without_gds_transport(text)
            (HERE / name).write_text(text)
    (HERE / "LICENSE").write_text(LICENSE)
    (HERE / "VERSION").write_text(
        f"{PACKAGE} {version} (npm), dist/govuk/govuk-frontend.min.css and .min.js; the CSS without the GDS Transport"
        " typeface (Arial instead) and both without their source-map comments: static/vendor/govuk-frontend/vendor.py\n"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION)
