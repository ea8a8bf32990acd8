"""The Ray engine: Ray Data ``map_batches`` over an actor pool.

The driver (this process) splits the table into batches of consecutive rows, one Arrow block
each, tagged with the batch number; an actor pool maps them.  Each actor calls the stage's
factory once in ``__init__`` (stanza pipelines and cue inventories load once per actor, not
per batch) and then maps one Arrow batch to one Arrow table.  The actor calls the batch
function once per batch number it finds in what Ray hands it, so batch boundaries are ours
whatever Ray does with block sizes, and the driver puts the outputs back in batch order.

Ray is imported only here, and only when the ``ray`` engine is used.  Without an address, a
local Ray starts in this process (no dashboard, no usage statistics, worker output not
forwarded); with one, the driver connects to that cluster after checking that its port
answers (``ray.init`` itself retries an unreachable address for minutes).  A Ray started
here stays up for the next stage and stops when the process exits.

Input rows and outputs travel as Arrow; the batch function sees polars frames (zero-copy
from Arrow).  The analyzer package and the models folder must be present on every node.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import uuid
import warnings
from typing import Any, cast

import polars as pl

from analyzer.core.errors import AnalyzerError, UsageError
from analyzer.engines.base import (
    DEFAULT_RAY_BATCH_ROWS,
    BatchFn,
    BatchFnFactory,
    EngineSettings,
    split_rows,
)

INSTALL_HINT = 'pip install -e ".[ray]"'
BATCH_COL = "__engine_batch"
WORKER_COL = "__engine_worker"
ERROR_COL = "__engine_error"
ERROR_MESSAGE_COL = "__engine_error_message"
CONNECT_TIMEOUT_S = 5.0
# Arrow's plain (large_)string types: every Ray version reads them, unlike string views.
_COMPAT = pl.CompatLevel.oldest()
_started: str | None = None  # what connect() started or joined in this process


def import_ray() -> Any:
    """The ``ray`` module, or a one-line UsageError saying how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(f"--engine ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


def _probe(address: str) -> None:
    """Fail fast, in one line, when the cluster address is malformed or does not answer."""
    if address == "auto":
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not host or not port.isdigit():
        raise UsageError(f"--address must be HOST:PORT (e.g. head-node:6379), ray://HOST:PORT or auto, got {address!r}")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise UsageError(
            f"cannot reach the Ray cluster at {address} ({exc.strerror or exc}); "
            "start it there with `ray start --head`, or check --address"
        ) from None


def connect(address: str | None) -> str:
    """Start a local Ray or join the cluster at ``address``; reuse Ray when already up.

    Returns:
        What the run uses: ``"local"`` or the address (also when an earlier stage of this
        process started it), ``"existing"`` for a Ray someone else started here.
    """
    global _started
    ray = import_ray()
    if ray.is_initialized():
        return _started or "existing"
    # Ray reports usage statistics over the network by default; a run must not.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address:
        _probe(address)
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(include_dashboard=False, num_cpus=os.cpu_count() or 1, log_to_driver=False, logging_level=logging.WARNING)
    except Exception as exc:  # noqa: BLE001 - Ray raises many kinds; the user needs one line
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"cannot start or join {where}: {first}") from None
    _started = address or "local"
    return _started


def _prepare_ray_data(ray: Any) -> None:
    # Ray Data logs every execution step at INFO on the driver; the analyzer prints its own.
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # Ray 2.60's default DataContext sets fields it deprecates and warns about itself;
        # creating it here, once, keeps that out of the user's (and pytest's) warnings.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ray\.data\.context")
        ray.data.DataContext.get_current()


class BatchActor:
    """One Ray actor: builds the batch function once, then maps batches.

    Args:
        factory: the stage's batch function factory.
    """

    def __init__(self, factory: BatchFnFactory) -> None:
        self.worker = uuid.uuid4().hex
        self.fn: BatchFn | None = None
        self.error: AnalyzerError | None = None
        try:
            self.fn = factory()
        except AnalyzerError as exc:  # e.g. a cue file missing on this node: say it per batch
            self.error = exc

    @staticmethod
    def _carry(exc: AnalyzerError) -> Any:
        # Ray hands the driver a wrapper whose cause is lost on the way: send ours back as
        # data, so the user gets its one line instead of a remote traceback.
        carried = {ERROR_COL: [pickle.dumps(exc)], ERROR_MESSAGE_COL: [str(exc)]}
        return pl.DataFrame(carried).to_arrow(compat_level=_COMPAT)

    def __call__(self, batch: Any) -> Any:
        if self.fn is None:
            assert self.error is not None
            return self._carry(self.error)
        frame = cast(pl.DataFrame, pl.from_arrow(batch))
        parts = []
        for (key,), group in frame.group_by(BATCH_COL, maintain_order=True):
            try:
                out = self.fn(group.drop(BATCH_COL))
            except AnalyzerError as exc:
                return self._carry(exc)
            parts.append(out.with_columns(pl.lit(key, dtype=pl.Int64).alias(BATCH_COL), pl.lit(self.worker).alias(WORKER_COL)))
        return pl.concat(parts, how="vertical").to_arrow(compat_level=_COMPAT)


def _raise_carried(table: Any) -> None:
    """Re-raise an error a batch function raised on purpose (see :class:`BatchActor`)."""
    if ERROR_COL not in table.column_names:
        return
    data, message = table.column(ERROR_COL)[0].as_py(), table.column(ERROR_MESSAGE_COL)[0].as_py()
    try:
        exc = pickle.loads(data)
    except Exception:  # noqa: BLE001 - an error type whose __init__ takes other arguments
        exc = None
    raise exc if isinstance(exc, AnalyzerError) else UsageError(message)


class RayEngine:
    """Runs batch functions on a Ray actor pool (see the module docstring).

    Args:
        options: the validated engine settings.
    """

    name = "ray"

    def __init__(self, options: EngineSettings) -> None:
        self.options = options
        self.ray = import_ray()
        self.connected = connect(options.address)
        _prepare_ray_data(self.ray)
        self.batch_rows = options.batch_rows or DEFAULT_RAY_BATCH_ROWS
        self.n_batches = 0
        self.n_actors = 0
        self.workers: set[str] = set()
        self.gpus = 0.0

    def _gpus(self, use_gpu: bool) -> float:
        if not use_gpu or not self.options.allow_gpu:
            return 0.0
        if self.options.gpus_per_actor is not None:
            return self.options.gpus_per_actor
        return 1.0 if float(self.ray.cluster_resources().get("GPU", 0)) >= 1 else 0.0

    def map_batches(self, factory: BatchFnFactory, table: pl.DataFrame, *, use_gpu: bool = False) -> pl.DataFrame:
        """See :meth:`analyzer.engines.Engine.map_batches`."""
        spans = split_rows(table.height, self.batch_rows)
        self.gpus = self._gpus(use_gpu)
        if table.height == 0:
            # Ray maps no batch over no rows, yet the stage needs its output's columns.
            self.n_batches, self.n_actors, self.workers = 0, 0, set()
            return factory()(table)
        blocks = [
            table.slice(offset, length).with_columns(pl.lit(i, dtype=pl.Int64).alias(BATCH_COL)).to_arrow(compat_level=_COMPAT)
            for i, (offset, length) in enumerate(spans)
        ]
        n_actors = min(self.options.actors, len(blocks))
        ray_data = self.ray.data
        dataset = ray_data.from_arrow(blocks).map_batches(
            BatchActor,
            fn_constructor_args=(factory,),
            batch_format="pyarrow",
            batch_size=self.batch_rows,
            compute=ray_data.ActorPoolStrategy(size=n_actors),
            num_cpus=self.options.cpus_per_actor,
            num_gpus=self.gpus,
        )
        tables = self.ray.get(dataset.to_arrow_refs())
        for table_part in tables:
            _raise_carried(table_part)
        parts = [cast(pl.DataFrame, pl.from_arrow(t)) for t in tables]
        if not parts:  # every batch mapped to nothing
            return factory()(table.head(0))
        out = pl.concat(parts, how="vertical").sort(BATCH_COL, maintain_order=True)
        self.n_batches, self.n_actors = len(blocks), n_actors
        self.workers = set(out.get_column(WORKER_COL).unique().to_list())
        return out.drop(BATCH_COL, WORKER_COL)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cluster": self.connected,
            "ray_version": str(self.ray.__version__),
            "actors": self.n_actors,
            "cpus_per_actor": self.options.cpus_per_actor,
            "gpus_per_actor": self.gpus,
            "batch_rows": self.batch_rows,
            "n_batches": self.n_batches,
            "n_workers": len(self.workers),
        }

