"""The core every other part builds on: typed errors, records, declared schemas, the run folder
(atomic writes, manifest) and the accounting that proves nothing was lost."""
