"""Wide files (one series per row, ragged): the M4 layout read into the long format."""

from pathlib import Path

import numpy as np
import pytest

from lstmcast.data import DataError, read_wide, read_wide_pair

SHARED = Path(__file__).parents[2] / ".." / "shared" / "data"
M4_TRAIN, M4_TEST = SHARED / "M4-Hourly-train.csv", SHARED / "M4-Hourly-test.csv"


def write(path, text):
    path.write_text(text)
    return path


def test_ragged_rows_lose_their_padding_and_get_integer_steps(tmp_path):
    path = write(tmp_path / "w.csv", '"V1","V2","V3","V4","V5"\n"S1","1","2","3","4"\n"S2","10","20","",""\n')
    panel = read_wide(path)
    assert panel.ids == ("S1", "S2") and panel.freq == 1
    np.testing.assert_array_equal(panel.target_values("S2"), [10, 20])
    np.testing.assert_array_equal(panel.times("S1"), [1, 2, 3, 4])
    assert list(panel.frame.columns) == ["unique_id", "ds", "y"]


def test_a_test_file_continues_the_steps_of_its_training_file(tmp_path):
    train = write(tmp_path / "train.csv", "V1,V2,V3,V4\nA,1,2,3\nB,5,6,\n")
    test = write(tmp_path / "test.csv", "V1,V2,V3\nA,4,5\nB,7,8\n")
    history, future = read_wide_pair(train, test)
    np.testing.assert_array_equal(future.times("A"), [4, 5])
    np.testing.assert_array_equal(future.times("B"), [3, 4])
    missing = write(tmp_path / "short_test.csv", "V1,V2\nA,4\n")
    with pytest.raises(DataError, match=r"short_test.csv: no row for series 'B'"):
        read_wide_pair(train, missing)


def test_a_hole_inside_a_row_is_a_missing_value_named_by_series_and_line(tmp_path):
    path = write(tmp_path / "w.csv", "V1,V2,V3,V4\nS1,1,2,3\nS2,1,,3\n")
    with pytest.raises(DataError, match=r"^w.csv: series 'S2': column 'y' has 1 missing value\(s\), "
                                        r"the first at line 3 \(step 2\)"):
        read_wide(path)
    np.testing.assert_array_equal(read_wide(path, fill="interpolate").target_values("S2"), [1, 2, 3])


@pytest.mark.parametrize("text, message", [
    ("V1,V2,V3\nS1,1,x\n", r"^w.csv: series 'S1' \(line 2\), column 'V3': 'x' is not a number$"),
    ("V1,V2\nS1,1\nS1,2\n", r"^w.csv: series 'S1' appears on more than one line \(2, 3\)$"),
    ("V1,V2\n,1\n", r"^w.csv: column 'V1' line 2: missing series id$"),
    ("V1,V2,V3\nS1,,\n", r"^w.csv: series 'S1' \(line 2\) has no values$"),
])
def test_bad_rows_are_named(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_wide(write(tmp_path / "w.csv", text))


@pytest.mark.skipif(not M4_TRAIN.exists() or not M4_TEST.exists(),
                    reason="the M4 Hourly files are not in ../shared/data next to the repository")
def test_m4_hourly_files_read_as_414_series_whose_test_continues_training():
    history, future = read_wide_pair(M4_TRAIN, M4_TEST)
    assert len(history) == len(future) == 414 and history.ids[:3] == ("H1", "H2", "H3")
    assert history.lengths.min() == 700 and history.lengths.max() == 960
    assert (future.lengths == 48).all()
    first_line = M4_TRAIN.read_text().splitlines()[1].split(",")
    np.testing.assert_array_equal(history.target_values("H1")[:5], [float(v.strip('"')) for v in first_line[1:6]])
    assert future.times("H1")[0] == history.times("H1")[-1] + 1
