"""Declaration targeting: rank import declarations so few inspections find the most.

Read an extract (:func:`load_declarations`), train a model on inspected declarations
(:func:`train_model`), score new ones under a budget with reasons
(:func:`score_declarations`), feed the outcomes back (:func:`update_model`), and grade a
ranking by precision, recall and revenue at 1, 2, 5 and 10 % (:mod:`.evaluate`).

LightGBM and scikit-learn (the ``ml`` extra) are imported only when a model is trained
or loaded, so importing this package needs only the core.
"""

from greymap.targeting.artefact import load_model, save_model
from greymap.targeting.evaluate import BUDGETS, BudgetResult, at_budgets
from greymap.targeting.features import FeatureParams
from greymap.targeting.feedback import read_outcomes, update_model
from greymap.targeting.load import Declarations, load_declarations
from greymap.targeting.model import ModelParams
from greymap.targeting.pipeline import TargetingModel, train_model
from greymap.targeting.score import evaluate_model, score_declarations
from greymap.targeting.select import parse_budget, select

__all__ = [
    "BUDGETS",
    "BudgetResult",
    "Declarations",
    "FeatureParams",
    "ModelParams",
    "TargetingModel",
    "at_budgets",
    "evaluate_model",
    "load_declarations",
    "load_model",
    "parse_budget",
    "read_outcomes",
    "save_model",
    "score_declarations",
    "select",
    "train_model",
    "update_model",
]
