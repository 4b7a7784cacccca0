"""Constants shared by the model and its faces, in one import-light module (no numpy, no model).

The command line prints its help and first line before it imports the model, and the page's
settings are checked without it; both read these names from here, as the model does, so that each
constant has one home.
"""

#: study years the outlook covers (a study year's capacity and load come from PJM's trajectories)
FIRST_STUDY_YEAR, LAST_STUDY_YEAR = 2026, 2060
#: study years of the main job by default
DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR = 2026, 2035
#: the data-center policy kinds the outlook compares
POLICY_KINDS = ("firm", "connect-and-manage", "capped", "firm+battery", "firm+onsite-gen")
#: the policies of the main job by default: the kinds, the capped contract named by its hours
POLICIES = ("firm", "connect-and-manage", "capped-100h", "firm+battery", "firm+onsite-gen")
#: the reliability standard: loss-of-load expectation [day/yr] (PJM's 1 day in 10 years; [S43])
STANDARD_LOLE_D = 0.1
#: most Monte Carlo samples of a verdict (a year and policy) in the main job by default
DEFAULT_DECISION_SAMPLES = 84
#: the main job's seed by default
DEFAULT_SEED = 1
#: the PJM model's zone sets: Dominion and the rest, or PJM's LDAs where the data centers land
#: (gigawatt.systems.pjm_zones)
ZONE_SETS = ("two", "lda")
#: largest number of samples any input may ask for
MAX_SAMPLES = 1_000_000
#: largest seed: a 64-bit signed integer
MAX_SEED = 2**63 - 1
#: the embedded system of the what-if page by default
DEFAULT_SYSTEM = "pjm-2026"
