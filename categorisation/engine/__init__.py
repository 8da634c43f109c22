"""The categorisation engine: pure Python, no Django. Frameworks are JSON-able dicts, facts are dicts.

from categorisation.engine import evaluate
result = evaluate(framework_dict, {"ofsted_grade": 2, "data_trend": "consistent", ...})
result.category, result.tib, result.reasons, result.missing

categoriser = Categoriser(framework_dict)  # for many schools: the same answers, each decided once
result = categoriser.evaluate(facts)
"""

from .conditions import OPERATORS
from .derived import DEFAULTS as PARAMETER_DEFAULTS
from .derived import classify_trend
from .facts import FACTS, FactsError, validate_facts
from .framework import Categoriser, FrameworkError, Result, describe_framework, evaluate, validate_framework

__all__ = [
    "FACTS",
    "OPERATORS",
    "PARAMETER_DEFAULTS",
    "Categoriser",
    "FactsError",
    "FrameworkError",
    "Result",
    "classify_trend",
    "describe_framework",
    "evaluate",
    "validate_facts",
    "validate_framework",
]
