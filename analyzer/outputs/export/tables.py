"""Flat tables for spreadsheets: every frame of a run as CSV files or as sheets of one XLSX.

Cells that a flat table cannot hold are written so nothing is lost: list columns (the URLs of
a co-link pair ...) become their items joined with `` | ``; timestamps become ISO 8601 text in
UTC (Excel has no time zones, and CSV readers guess differently).  Excel's own limits are
honoured and reported, never applied silently: a frame longer than 1,048,575 rows continues on
sheets ``name (2)``, ``name (3)`` ...; a cell longer than 32,767 characters is cut, and every
cut is listed on a ``notes`` sheet (row, column, original length).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

EXCEL_MAX_ROWS = 1_048_576 - 1  # one header row
EXCEL_MAX_CELL = 32_767
LIST_SEPARATOR = " | "


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with list columns joined and datetimes as ISO text (see the module docstring)."""
    exprs: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List):
            exprs.append(column.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR).alias(name))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(column.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ").alias(name)
                         if dtype.time_zone else column.dt.strftime("%Y-%m-%dT%H:%M:%S%.f").alias(name))
        elif isinstance(dtype, pl.Struct | pl.Array):
            exprs.append(column.struct.json_encode().alias(name) if isinstance(dtype, pl.Struct)
                         else column.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR).alias(name))
        else:
            exprs.append(column)
    return frame.select(exprs)


def write_csv(frames: dict[str, pl.DataFrame], out: Path) -> list[Path]:
    """One ``NAME.csv`` per frame in folder ``out`` (UTF-8, header, comma-separated)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        flat(frame).write_csv(path)
        written.append(path)
    return written


def write_xlsx(frames: dict[str, pl.DataFrame], out: Path) -> list[Path]:
    """One workbook ``out`` with a sheet per frame (and a ``notes`` sheet when a limit applied)."""
    import xlsxwriter  # BSD-2-Clause; see pyproject.toml

    out.parent.mkdir(parents=True, exist_ok=True)
    notes: list[tuple[str, int, str, int]] = []
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_urls": False,
                                              "strings_to_formulas": False, "nan_inf_to_errors": True})
    try:
        bold = workbook.add_format({"bold": True})
        for name, frame in frames.items():
            table = flat(frame)
            parts = max(1, -(-table.height // EXCEL_MAX_ROWS))
            for part in range(parts):
                sheet_name = name[:31] if part == 0 else f"{name[:25]} ({part + 1})"
                sheet = workbook.add_worksheet(sheet_name)
                for col, column in enumerate(table.columns):
                    sheet.write_string(0, col, column, bold)
                chunk = table.slice(part * EXCEL_MAX_ROWS, EXCEL_MAX_ROWS)
                for r, row in enumerate(chunk.iter_rows(), start=1):
                    for col, value in enumerate(row):
                        _write_cell(sheet, r, col, value, notes, sheet_name, table.columns[col])
        if notes:
            sheet = workbook.add_worksheet("notes")
            for col, head in enumerate(("sheet", "row", "column", "original length (cut to 32,767 characters)")):
                sheet.write_string(0, col, head, bold)
            for r, (cut_sheet, cut_row, cut_column, length) in enumerate(notes, start=1):
                sheet.write_string(r, 0, cut_sheet)
                sheet.write_number(r, 1, cut_row + 1)
                sheet.write_string(r, 2, cut_column)
                sheet.write_number(r, 3, length)
    finally:
        workbook.close()
    return [out]


def _write_cell(sheet: Any, row: int, col: int, value: Any, notes: list[tuple[str, int, str, int]],
                sheet_name: str, column: str) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        text = str(value)
        if len(text) > EXCEL_MAX_CELL:
            notes.append((sheet_name, row, column, len(text)))
            text = text[:EXCEL_MAX_CELL]
        sheet.write_string(row, col, text)
