"""KS2 performance tables: raw england_ks2final, the slim 2018/19 cut, and the reshaped ks2_perf files."""

from ..models import Benchmark, Phase
from .performance import PerformanceImporter

RAW = {
    "ks2_pupils": "TELIG",
    "ks2_rwm_expected_pct": "PTRWM_EXP",
    "ks2_rwm_high_pct": "PTRWM_HIGH",
    "ks2_progress_reading": "READPROG",
    "ks2_progress_writing": "WRITPROG",
    "ks2_progress_maths": "MATPROG",
}


class Ks2Importer(PerformanceImporter):
    kind = "ks2"
    label = "KS2 performance tables"
    layouts = {
        "raw": ("RECTYPE", "LEA", "URN", "PTRWM_EXP", "READPROG"),
        "slim": ("RECTYPE", "URN", "READPROG", "WRITPROG", "MATPROG"),
        "reshaped": ("URN", "Reading Progress", "Overall Meet Std", "Academic Year"),
    }
    measures = {
        "raw": RAW,
        "slim": {k: v for k, v in RAW.items() if k.startswith("ks2_progress")},
        "reshaped": {
            "ks2_pupils": "KS2 Pupils",
            "ks2_rwm_expected_pct": "Overall Meet Std",
            "ks2_rwm_high_pct": "Overall Exceed Std",
            "ks2_progress_reading": "Reading Progress",
            "ks2_progress_writing": "Writing Progress",
            "ks2_progress_maths": "Maths Progress",
        },
    }
    # KS2: 1 mainstream, 2 special, 3 LA, 4 England (all schools), 5 England (state-funded)
    rectypes = {
        "1": None,
        "2": None,
        "3": Benchmark.Level.LA,
        "4": Benchmark.Level.ENGLAND_ALL,
        "5": Benchmark.Level.ENGLAND_STATE,
    }
    default_phase = Phase.PRIMARY
