"""Floor 1, data: read and check tables, cut windows, scale, split, bundled datasets.

Uses NumPy and pandas; never imports the engine or anything above this floor.
"""

from lstmcast.data.datasets import DATASETS, dataset_path, list_datasets, load_dataset, load_text
from lstmcast.data.csvfile import CsvFile
from lstmcast.data.errors import DataError, DataWarning
from lstmcast.data.scalers import (
    IdentityScaler,
    MinMaxScaler,
    Scaler,
    StandardScaler,
    make_scaler,
    scaler_from_dict,
)
from lstmcast.data.panel import Panel, check_panel_length, read_panel
from lstmcast.data.panel_split import SeriesScalers, fit_series_scalers, split_panel
from lstmcast.data.panel_windows import PanelWindows, panel_windows
from lstmcast.data.split import Split, chronological_split, split_rows
from lstmcast.data.tables import SeriesTable, check_length, infer_frequency, read_series
from lstmcast.data.wide import read_wide, read_wide_pair
from lstmcast.data.windows import last_window, make_windows

__all__ = [
    "DATASETS",
    "CsvFile",
    "DataError",
    "DataWarning",
    "IdentityScaler",
    "MinMaxScaler",
    "Panel",
    "PanelWindows",
    "Scaler",
    "SeriesScalers",
    "SeriesTable",
    "Split",
    "StandardScaler",
    "check_length",
    "check_panel_length",
    "chronological_split",
    "dataset_path",
    "fit_series_scalers",
    "infer_frequency",
    "last_window",
    "list_datasets",
    "load_dataset",
    "load_text",
    "make_scaler",
    "make_windows",
    "panel_windows",
    "read_panel",
    "read_series",
    "read_wide",
    "read_wide_pair",
    "scaler_from_dict",
    "split_panel",
    "split_rows",
]
