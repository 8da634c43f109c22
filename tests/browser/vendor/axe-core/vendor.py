"""Re-vendor axe-core, which tests/browser/test_accessibility.py runs in Chromium, from the npm registry with no Node
step: `python tests/browser/vendor/axe-core/vendor.py [VERSION]` downloads the package's tarball, checks it against
the registry's integrity hash and writes axe.min.js, LICENSE (MPL-2.0) and VERSION beside this file, unmodified."""

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "axe-core"
DEFAULT_VERSION = "4.14.1"
HERE = Path(__file__).resolve().parent
FILES = {"package/axe.min.js": "axe.min.js", "package/LICENSE": "LICENSE"}


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


def main(version: str) -> None:
    with download(PACKAGE, version) as tar:
        for member, name in FILES.items():
            (HERE / name).write_bytes(tar.extractfile(member).read())
    (HERE / "VERSION").write_text(f"{PACKAGE} {version} (npm), axe.min.js and LICENSE, unmodified\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION)
