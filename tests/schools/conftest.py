from pathlib import Path

import pytest

from schools.importers import run_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The shared real data sits beside the repository: <repo>/../shared/data
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def run(world):
    """Import a fixture file into partnership A as its LA officer."""

    def _run(kind: str, name: str | None = None, *, data: bytes | None = None, partnership=None, **kwargs):
        return run_import(
            actor=world.a.users["officer"],
            partnership=partnership or world.a.partnership,
            kind=kind,
            data=fixture_bytes(name) if data is None else data,
            filename=name or "upload.csv",
            **kwargs,
        )

    return _run


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"the shared data file {path} is not here")
    return path
