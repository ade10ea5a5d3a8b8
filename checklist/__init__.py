"""Judgement over plain data: rule packs per assessment year, document facts, evaluation, index.

Pure functions; imports nothing from ``archive``.
"""

from checklist.engine import ENGINE_VERSION, evaluate
from checklist.index import project_index, spd_score
from checklist.next_steps import rank_fixes
from checklist.profile import check_profile
from checklist.rulepack import (
    RulePack,
    RulePackError,
    available_rulepacks,
    load_rulepack,
    load_rulepack_file,
)

__all__ = [
    "ENGINE_VERSION",
    "RulePack",
    "RulePackError",
    "available_rulepacks",
    "check_profile",
    "evaluate",
    "load_rulepack",
    "load_rulepack_file",
    "project_index",
    "rank_fixes",
    "spd_score",
]
