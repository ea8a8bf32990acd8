"""Every default value of a stage or engine setting, in one place.

The settings themselves (names, types, help, command-line flags) are declared with each stage
(``analyzer/stages/declarations/<name>.py``) and the engine (:mod:`analyzer.engines.options`);
each field takes its default from here, and the modules that use a value as a plain constant
(``compare.ALPHA``, ``keyness.PRIOR_SIZE`` ...) name it from here too, so one number never has
two homes.

Why a Python module and not a TOML file shipped as package data: the values are checked by
mypy against the fields they fill, importing them costs nothing (no file read, no parse, no
package-data lookup at start-up), and ``core`` stays free of I/O.  A user who wants other
values writes them in a job's ``[settings]`` table or on the command line, never here.

Tuned values carry where they were measured.
"""

from __future__ import annotations

# --- nlp --------------------------------------------------------------------------------------
NLP_MODE = "auto"  # stanza where its models are installed, the offline components elsewhere
NLP_MAX_CHARS = 100_000  # characters of one document analysed; longer ones are cut with an issue
NLP_NER = False
# "direct": the offline components without stanza's Document objects (same output, faster:
# docs/performance-language.md); "stanza": through stanza's Pipeline.
NLP_OFFLINE_RUNNER = "direct"
# "regex": the column-wise tokenizer and sentence splitter (agreement with SoMaJo measured in
# docs/performance-language.md); "somajo": SoMaJo itself.
NLP_TOKENIZER = "regex"
# A scheduled job caches annotations under its root (a run that re-reads unchanged comments
# skips stanza for them); relative to the job's output root.
JOB_NLP_CACHE = ("cache", "nlp")

# --- links ------------------------------------------------------------------------------------
STALE_YEARS = 3.0  # a credibility list older than this many years is flagged stale

# --- framing ----------------------------------------------------------------------------------
FRAMES_ALPHA = 0.5  # additive smoothing of frame profiles (docs/methods.md section 4)
# Pseudo-counts of the keyness prior (docs/methods.md); calibrated on fixtures/de_sample_page
# (the figures are beside PRIOR_SIZE in analyzer/stages/framing/keyness.py).
KEYNESS_PRIOR_SIZE = 100.0

# --- coordination: near-duplicates (docs/coordination.md) ------------------------------------
NEAR_DUP_MIN_TOKENS = 8
NEAR_DUP_NUM_PERM = 64
NEAR_DUP_BANDS = 16
NEAR_DUP_THRESHOLD = 0.5
NEAR_DUP_MIN_CLUSTER_SIZE = 2
NEAR_DUP_SEED = 20240601

# --- coordination: co-links (CooRnet's defaults) ----------------------------------------------
COLINK_Q = 0.1
COLINK_P = 0.5
COLINK_LINKAGE = "burst"
# Coordinated pairs: at least this many co-shared URLs (one co-share can be chance; CooRnet also
# needs repetition) and beyond chance at this false discovery rate; the window is the burst gap
# unless "coornet" is asked for (docs/coordination.md has the evaluation behind both).
COLINK_MIN_REPEAT = 2
COLINK_FDR = 0.05
COLINK_ESTIMATOR = "burst-gap"

# --- engines ----------------------------------------------------------------------------------
ENGINE = "local"
RAY_ACTORS = 2
# Fractions matter on small machines: two actors at one CPU each on two cores left Ray Data no
# CPU for its own tasks and hung (platform notes).
RAY_NUM_CPUS = 0.5
# Rows (documents or comments) per Ray batch: big enough that stanza batches well inside a
# batch, small enough that two actors share a 2,000-comment run evenly.
RAY_BATCH_ROWS = 200
