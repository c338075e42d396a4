"""SeekrFlow in a box: the data-jobs API with keys, a lifecycle clock, faults and a log."""

from .app import create_app
from .state import Simulator

__all__ = ["Simulator", "create_app"]
