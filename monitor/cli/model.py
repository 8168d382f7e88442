"""Model commands: ``pantau train``, ``pantau evaluate`` and ``pantau model list|show|promote|
rollback``. Thin shells over :mod:`monitor.model`; no modelling logic lives here."""

from __future__ import annotations

import dataclasses
import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from monitor.cli.common import console, err_console, fail, load_settings
from monitor.model.registry import (
    CARD_MD,
    ModelNotFound,
    RegistryError,
    list_models,
    model_path,
    newest_model,
    next_version,
)
from monitor.store.db import Database
from monitor.store.models_registry import (
    activate_model,
    active_model_version,
    previous_model_version,
)

if TYPE_CHECKING:
    from monitor.model.dataset import LabelledData, LoadOptions
    from monitor.model.train import ProgressCallback, TrainResult

# scikit-learn, skops and the training code are imported inside the commands that use them:
# their import takes seconds, which every other `pantau` command would otherwise pay.

DEFAULT_CORPUS_DIR = Path("training_data/corpus")
_PROBLEMS_SHOWN = 50
_TABLE_METRICS = (
    ("roc_auc", "ROC-AUC"),
    ("pr_auc", "PR-AUC"),
    ("macro_f1", "macro-F1"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("brier", "Brier"),
)

model_app = typer.Typer(help="The model registry: list, show, promote, roll back.")

TextCols = Annotated[
    list[str] | None,
    typer.Option("--text-col", help="Text column; repeat to join several (default: text)."),
]
LabelCol = Annotated[str, typer.Option("--label-col", help="Label column.")]
HoaxValue = Annotated[
    str, typer.Option("--hoax-value", help="Label value meaning hoax (case-insensitive).")
]
ValidValues = Annotated[
    list[str] | None,
    typer.Option(
        "--valid-value",
        help="Label value meaning valid; repeatable. Default: any other non-empty value.",
    ),
]
TopicCol = Annotated[str, typer.Option("--topic-col", help="Topic column (grouped CV).")]
GroupCol = Annotated[
    str, typer.Option("--group-col", help="Claim-group column (near-duplicates of one claim).")
]
DateCol = Annotated[str, typer.Option("--date-col", help="Date column (time split).")]
RowsPerTopic = Annotated[
    int | None,
    typer.Option("--rows-per-topic", min=1, help="Files stored in topic order: topic = row // N."),
]
Delimiter = Annotated[
    str | None, typer.Option("--delimiter", help="Field delimiter (default: detected).")
]
Sheet = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet (default: first).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


def _options(
    text_col: list[str] | None,
    label_col: str,
    hoax_value: str,
    valid_value: list[str] | None,
    topic_col: str,
    group_col: str,
    date_col: str,
    rows_per_topic: int | None,
    delimiter: str | None,
    sheet: str | None,
) -> LoadOptions:
    from monitor.model.dataset import LoadOptions

    return LoadOptions(
        text_columns=tuple(text_col or ["text"]),
        label_column=label_col,
        hoax_value=hoax_value,
        valid_values=tuple(valid_value or ()),
        topic_column=topic_col or None,
        group_column=group_col or None,
        date_column=date_col or None,
        rows_per_topic=rows_per_topic,
        delimiter=delimiter.replace("\\t", "\t") if delimiter else None,
        sheet=sheet,
    )


def _load(paths: list[Path], options: LoadOptions, quiet: bool) -> LabelledData:
    from monitor.model.dataset import DataError, load_labelled

    try:
        data = load_labelled(paths, options)
    except DataError as exc:
        fail(str(exc))
    out = err_console if quiet else console
    for problem in data.problems[:_PROBLEMS_SHOWN]:
        out.print(f"[yellow]skipped[/] {problem}", highlight=False)
    if len(data.problems) > _PROBLEMS_SHOWN:
        out.print(f"[yellow]… and {len(data.problems) - _PROBLEMS_SHOWN} more skipped rows[/]")
    counts = data.label_counts()
    out.print(
        f"{len(data)} usable row(s) from {len(data.files)} file(s): {counts['hoax']} hoax, "
        f"{counts['valid']} valid; {len(data.problems)} row(s) skipped.",
        highlight=False,
    )
    if not options.valid_values:
        values = ", ".join(f"{v!r}×{n}" for v, n in data.label_values.most_common(8))
        out.print(f"label values seen: {values}", highlight=False)
    return data


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """Yield a progress callback drawing one rich bar per stage (None when disabled)."""
    if not enabled:
        yield None
        return
    bars = Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


def _metrics_table(title: str, schemes: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("scheme")
    for _, label in _TABLE_METRICS:
        table.add_column(label, justify="right")
    table.add_column("confusion (tn fp fn tp)", justify="right")
    for name, report in schemes.items():
        cells = []
        for key, _ in _TABLE_METRICS:
            entry = report["metrics"][key]
            if entry["value"] is None:
                cells.append("n/a")
            elif entry["low"] is None:
                cells.append(f"{entry['value']:.3f}")
            else:
                cells.append(f"{entry['value']:.3f}\n[{entry['low']:.3f}, {entry['high']:.3f}]")
        c = report["confusion"]
        table.add_row(name, *cells, f"{c['tn']} {c['fp']} {c['fn']} {c['tp']}")
    return table


def _train_report(result: TrainResult) -> dict[str, Any]:
    return {
        "rows": len(result.data),
        "labels": result.data.label_counts(),
        "skipped": [str(p) for p in result.data.problems],
        "threshold": result.threshold.to_json(),
        "primary": result.primary_scheme,
        "evaluation": result.evaluation,
        "notes": result.notes,
    }


def train(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="CSV/TSV/JSONL/XLSX files (default: training_data/corpus/*.csv)."),
    ] = None,
    text_col: TextCols = None,
    label_col: LabelCol = "label",
    hoax_value: HoaxValue = "hoax",
    valid_value: ValidValues = None,
    topic_col: TopicCol = "topic",
    group_col: GroupCol = "claim_group",
    date_col: DateCol = "date",
    rows_per_topic: RowsPerTopic = None,
    delimiter: Delimiter = None,
    sheet: Sheet = None,
    folds: Annotated[int, typer.Option(min=2, help="Folds of the claim-grouped CV.")] = 5,
    topic_folds: Annotated[int, typer.Option(min=2, help="Folds of the topic-grouped CV.")] = 12,
    target_precision: Annotated[
        float | None,
        typer.Option(min=0.01, max=0.99, help="Precision the threshold aims for."),
    ] = None,
    c: Annotated[
        float | None,
        typer.Option("--c", min=1e-6, help="Inverse regularisation (default: the model's)."),
    ] = None,
    min_topic_fraction: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Keep n-grams used in at least this share of the training topics "
            "(0: keep every n-gram; default: the model's).",
        ),
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Folds fitted in parallel.")] = 1,
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap resamples.")] = 1000,
    models_dir: Annotated[
        Path | None, typer.Option(help="Registry folder (default: settings.models_dir).")
    ] = None,
    version: Annotated[str | None, typer.Option(help="Version (default YYYY.MM.DD-N).")] = None,
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Save the model (--no-save: only validate).")
    ] = True,
    as_json: AsJson = False,
    tune: Annotated[
        bool,
        typer.Option(
            help="Choose C and the surface weight by inner CV grouped by topic, nested in "
            "every validation fold (training takes about 4x as long)."
        ),
    ] = False,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Train a model: validate on grouped splits, pick the threshold, save to the registry."""
    from monitor.model.card import save_trained_model
    from monitor.model.estimator import ModelParams
    from monitor.model.train import TrainConfig, train_model
    from monitor.model.tuning import TuningGrid, describe_choices
    from monitor.model.validation import ValidationError

    if tune and c is not None:
        fail("--c and --tune exclude each other: tuning chooses C")
    settings = load_settings()
    paths = files or sorted(DEFAULT_CORPUS_DIR.glob("*.csv"))
    if not paths:
        fail(f"no training files given and none in {DEFAULT_CORPUS_DIR}")
    options = _options(
        text_col,
        label_col,
        hoax_value,
        valid_value,
        topic_col,
        group_col,
        date_col,
        rows_per_topic,
        delimiter,
        sheet,
    )
    data = _load(paths, options, quiet=as_json)
    defaults = ModelParams()
    params = dataclasses.replace(
        defaults,
        c=defaults.c if c is None else c,
        min_topic_fraction=(
            defaults.min_topic_fraction if min_topic_fraction is None else min_topic_fraction
        ),
    )
    config = TrainConfig(
        params=params,
        target_precision=target_precision or settings.target_precision,
        folds=folds,
        topic_folds=topic_folds,
        n_boot=bootstrap,
        n_jobs=jobs,
        tuning=TuningGrid() if tune else None,
    )
    try:
        with _progress(progress) as callback:
            result = train_model(data, config, fit_final=save, progress=callback)
    except (ValueError, ValidationError) as exc:
        fail(f"cannot train: {exc}")
    report = _train_report(result)
    if save:
        directory = models_dir or settings.models_dir
        chosen = version or next_version(directory)
        try:
            path = save_trained_model(result, directory, chosen, options)
        except RegistryError as exc:
            fail(str(exc))
        report["version"] = chosen
        report["path"] = str(path)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console.print(_metrics_table("Validation (95% bootstrap intervals)", result.evaluation))
    for name, scheme in result.evaluation.items():
        console.print(f"  {name}: {scheme['description']}", highlight=False)
        if "tuning" in scheme:
            choices = describe_choices(scheme["tuning"]["chosen"])
            console.print(f"    tuned per fold: {choices}", highlight=False)
    t = result.threshold
    console.print(
        f"threshold {t.threshold:.3f} for precision ≥ {t.target_precision:.2f} "
        f"({'met' if t.target_met else 'NOT met'}: precision {t.precision:.2f}, "
        f"recall {t.recall:.2f} on out-of-fold predictions)",
        highlight=False,
    )
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    if save:
        console.print(f"saved model {report['version']} to {report['path']}", highlight=False)


def _resolve_model(model: str | None, models_dir: Path) -> Path:
    if model is not None and Path(model).is_dir():
        return Path(model)
    if model is None:
        newest = newest_model(models_dir)
        if newest is None:
            fail(f"no model under {models_dir}; run `pantau train` first")
        return newest.path
    try:
        return model_path(models_dir, model)
    except ModelNotFound as exc:
        fail(str(exc))


def evaluate(
    data_files: Annotated[
        list[Path], typer.Option("--data", help="Labelled file(s) to evaluate on.")
    ],
    model: Annotated[
        str | None, typer.Option(help="Version or model folder (default: newest).")
    ] = None,
    text_col: TextCols = None,
    label_col: LabelCol = "label",
    hoax_value: HoaxValue = "hoax",
    valid_value: ValidValues = None,
    group_col: GroupCol = "claim_group",
    delimiter: Delimiter = None,
    sheet: Sheet = None,
    include_seen: Annotated[
        bool, typer.Option(help="Keep rows whose text the model was trained on.")
    ] = False,
    plots_dir: Annotated[
        Path | None,
        typer.Option(help="Where the PNG plots go (default: <data_dir>/evaluation/<version>)."),
    ] = None,
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap resamples.")] = 1000,
    as_json: AsJson = False,
) -> None:
    """Evaluate a model on labelled data: metrics with intervals, PR and calibration plots."""
    from monitor.model.evaluate import evaluate_model
    from monitor.model.persist import ModelFileError
    from monitor.model.scorer import Scorer

    settings = load_settings()
    directory = _resolve_model(model, settings.models_dir)
    options = _options(
        text_col, label_col, hoax_value, valid_value, "", group_col, "", None, delimiter, sheet
    )
    data = _load(data_files, options, quiet=as_json)
    try:
        scorer = Scorer.load(directory)
        report = evaluate_model(
            scorer,
            directory,
            data,
            include_seen=include_seen,
            plots_dir=plots_dir or settings.data_dir / "evaluation" / scorer.version,
            n_boot=bootstrap,
        )
    except (ModelNotFound, ModelFileError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if report["rows_seen_in_training"]:
        verb = "kept" if report["rows_seen_included"] else "left out"
        console.print(
            f"[yellow]{report['rows_seen_in_training']} row(s) were seen in training: {verb}[/]"
        )
    for entry in report["files"]:
        if entry["used_in_training"]:
            console.print(f"[yellow]{entry['path']} is a training file of this model[/]")
    console.print(_metrics_table(f"Model {scorer.version} on {report['n']} rows", {"data": report}))
    for plot in report["plots"]:
        console.print(f"plot: {plot}", highlight=False)


def _active_version(settings: Any) -> str | None:
    """The store's active model, or None when the store is absent or uninitialised."""
    db = Database(settings.database_url_plain)
    try:
        if db.current_revision() is None:
            return None
        with db.session() as session:
            return active_model_version(session)
    except SQLAlchemyError:
        return None
    finally:
        db.dispose()


@model_app.command("list")
def list_command(as_json: AsJson = False) -> None:
    """List registered models, oldest first; the active one is marked with *."""
    settings = load_settings()
    models = list_models(settings.models_dir)
    active = _active_version(settings)
    if as_json:
        rows = [
            {
                "version": m.version,
                "created": m.created.isoformat(),
                "path": str(m.path),
                "active": m.version == active,
                "threshold": m.threshold,
                "normalizer_version": m.normalizer_version,
                "metrics": m.metrics,
            }
            for m in models
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not models:
        console.print(f"no models under {settings.models_dir}")
        return
    table = Table(title=f"Models in {settings.models_dir}", title_justify="left")
    for column in ("", "version", "created", "ROC-AUC", "PR-AUC", "precision", "recall"):
        table.add_column(column)
    table.add_column("threshold")
    table.add_column("normalizer")
    for m in models:
        values = [m.metrics.get(k) for k in ("roc_auc", "pr_auc", "precision", "recall")]
        table.add_row(
            "*" if m.version == active else "",
            m.version,
            m.created.strftime("%Y-%m-%d %H:%M"),
            *("n/a" if v is None else f"{v:.3f}" for v in values),
            "n/a" if m.threshold is None else f"{m.threshold:.3f}",
            m.normalizer_version or "?",
        )
    console.print(table)
    if active is None:
        console.print("no model promoted yet: the newest one scores posts")


@model_app.command("show")
def show_command(version: Annotated[str, typer.Argument(help="Model version.")]) -> None:
    """Print a model's card."""
    settings = load_settings()
    try:
        path = model_path(settings.models_dir, version)
    except ModelNotFound as exc:
        fail(str(exc))
    typer.echo((path / CARD_MD).read_text(encoding="utf-8"))


def _activate(version: str, actor: str | None, note: str | None) -> None:
    settings = load_settings()
    try:
        model_path(settings.models_dir, version)
    except ModelNotFound as exc:
        fail(str(exc))
    db = Database(settings.database_url_plain)
    try:
        if db.current_revision() is None:
            fail("the database is not initialised; run `pantau init` first")
        with db.transaction() as session:
            activate_model(session, version, actor or f"cli:{getpass.getuser()}", note)
    finally:
        db.dispose()


Actor = Annotated[str | None, typer.Option(help="Who does this (default: cli:<user>).")]
Note = Annotated[str | None, typer.Option(help="Why (kept in the audit log).")]


@model_app.command("promote")
def promote_command(
    version: Annotated[str, typer.Argument(help="Model version to make active.")],
    actor: Actor = None,
    note: Note = None,
) -> None:
    """Make a model version the active one (recorded in the store and the audit log)."""
    _activate(version, actor, note)
    console.print(f"model {version} is now active", highlight=False)


@model_app.command("rollback")
def rollback_command(actor: Actor = None, note: Note = None) -> None:
    """Re-activate the model that was active before the current one."""
    settings = load_settings()
    db = Database(settings.database_url_plain)
    try:
        if db.current_revision() is None:
            fail("the database is not initialised; run `pantau init` first")
        with db.session() as session:
            current = active_model_version(session)
            previous = previous_model_version(session)
    finally:
        db.dispose()
    if previous is None:
        fail("nothing to roll back to: no earlier model was ever active")
    _activate(previous, actor, note or f"rollback from {current}")
    console.print(f"rolled back from {current} to {previous}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``train``, ``evaluate`` and the ``model`` sub-app to ``app``."""
    app.command()(train)
    app.command()(evaluate)
    app.add_typer(model_app, name="model")
