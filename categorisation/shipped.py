"""The shipped frameworks: JSON files in categorisation/frameworks/, named by slug. No Django."""

from __future__ import annotations

import json
from pathlib import Path

from .engine import validate_framework

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"


def shipped_slugs() -> list[str]:
    return sorted(p.stem for p in FRAMEWORK_DIR.glob("*.json"))


def load_shipped(slug: str) -> dict:
    """The shipped framework with this slug, validated. KeyError if there is none."""
    if slug not in shipped_slugs():
        raise KeyError(slug)
    framework = json.loads((FRAMEWORK_DIR / f"{slug}.json").read_text(encoding="utf-8"))
    validate_framework(framework)
    return framework
