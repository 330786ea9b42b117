"""Launch and early orbit phase: who catches the first signal after separation, when, and where to point.

Library entry points (the CLI and the API call the same ones):

- :func:`load_scenario` / :func:`parse_scenario`: read and validate a scenario (TOML);
  :func:`bundled_scenarios`: the shipped ones (Galileo VS15, ExoMars 2016), by name.
- :func:`run_scenario`: analyse every launch time; :func:`report` turns the results into the
  JSON document the CLI prints and the API serves (acquisition table, coverage, dispersion,
  timeline for the board).
- :func:`analyse_toml`: TOML text in, that JSON document out (what an API endpoint calls).
"""

from .acquisition import LaunchResult, analyse_launch, run_scenario
from .report import analyse_toml, report
from .scenario import Scenario, ScenarioError, bundled_scenarios, load_scenario, parse_scenario

__all__ = ["analyse_toml", "bundled_scenarios", "LaunchResult", "Scenario", "ScenarioError", "analyse_launch", "load_scenario", "parse_scenario", "report", "run_scenario"]
