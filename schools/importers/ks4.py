"""KS4 performance tables: raw england_ks4final, the slim 2018/19 cut, and the reshaped ks4_perf files."""

from ..models import Benchmark, Phase
from .performance import PerformanceImporter

RAW = {
    "ks4_pupils": "TPUP",
    "attainment8": "ATT8SCR",
    "progress8": "P8MEA",
    "p8_ci_lower": "P8CILOW",
    "p8_ci_upper": "P8CIUPP",
    "ks4_basics_95_pct": "PTL2BASICS_95",
}


class Ks4Importer(PerformanceImporter):
    kind = "ks4"
    label = "KS4 performance tables"
    layouts = {
        "raw": ("RECTYPE", "LEA", "URN", "ATT8SCR", "P8MEA"),
        "slim": ("RECTYPE", "URN", "P8MEA", "ATT8SCR"),
        "reshaped": ("URN", "Progress 8", "Attainment 8", "Academic Year"),
    }
    measures = {
        "raw": RAW,
        "slim": {k: RAW[k] for k in ("attainment8", "progress8", "ks4_basics_95_pct")},
        "reshaped": {
            "ks4_pupils": "KS4 Pupils",
            "attainment8": "Attainment 8",
            "progress8": "Progress 8",
            "ks4_basics_95_pct": "Eng Maths Grade 5",
        },
    }
    # KS4: 1 mainstream, 2 special, 4 LA, 5 England (all schools), 7 England (state-funded)
    rectypes = {
        "1": None,
        "2": None,
        "4": Benchmark.Level.LA,
        "5": Benchmark.Level.ENGLAND_ALL,
        "7": Benchmark.Level.ENGLAND_STATE,
    }
    default_phase = Phase.SECONDARY
