"""Scalers: the formulas, round trips, fitted-on-what-rows, saving as JSON."""

import json

import numpy as np
import pytest

from lstmcast.data.scalers import (
    IdentityScaler,
    MinMaxScaler,
    StandardScaler,
    make_scaler,
    scaler_from_dict,
)
from lstmcast.data.split import chronological_split

ALL = [MinMaxScaler, StandardScaler, IdentityScaler]


@pytest.fixture
def values():
    rng = np.random.default_rng(1)
    return rng.normal(loc=[10.0, -3.0, 0.0], scale=[2.0, 0.1, 50.0], size=(40, 3))


def test_minmax_maps_the_training_range_to_unit_interval(values):
    scaled = MinMaxScaler().fit(values).transform(values)
    np.testing.assert_allclose(scaled.min(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(scaled.max(axis=0), 1.0, atol=1e-15)
    col = values[:, 1]
    np.testing.assert_allclose(scaled[:, 1], (col - col.min()) / (col.max() - col.min()))


def test_standard_uses_population_std(values):
    scaler = StandardScaler().fit(values)
    for j in range(3):
        col = values[:, j]
        mean = sum(col) / len(col)
        std = (sum((col - mean) ** 2) / len(col)) ** 0.5  # ddof = 0
        assert scaler.mean_[j] == pytest.approx(mean, rel=1e-12)
        assert scaler.scale_[j] == pytest.approx(std, rel=1e-12)
    scaled = scaler.transform(values)
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0, ddof=0), 1.0, rtol=1e-12)


def test_standard_matches_the_etth1_reference_definition():
    # The ETTh1 protocol z-scores with train mean and population std (ddof=0).
    data = np.array([[1.0], [2.0], [4.0], [7.0]])
    scaler = StandardScaler().fit(data)
    assert scaler.mean_[0] == 3.5
    assert scaler.scale_[0] == pytest.approx(np.sqrt(((data - 3.5) ** 2).mean()))
    assert scaler.scale_[0] != pytest.approx(np.std(data, ddof=1))


@pytest.mark.parametrize("cls", [MinMaxScaler, StandardScaler])
def test_a_constant_column_gets_scale_one(cls):
    data = np.column_stack([np.full(7, 0.1), np.arange(7.0)])  # np.std of seven 0.1s is 1.4e-17, not 0
    scaler = cls().fit(data)
    assert scaler.scale_[0] == 1.0
    scaled = scaler.transform(data)
    assert np.isfinite(scaled).all()
    np.testing.assert_allclose(scaled[:, 0], 0.0, atol=1e-15)
    np.testing.assert_allclose(scaler.inverse_transform(scaled), data, rtol=1e-15)


@pytest.mark.parametrize("cls", ALL)
def test_round_trip(cls, values):
    scaler = cls().fit(values)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(values)), values, rtol=1e-13)


def test_identity_leaves_values_alone(values):
    scaler = IdentityScaler().fit(values)
    np.testing.assert_array_equal(scaler.transform(values), values)
    np.testing.assert_array_equal(scaler.inverse_transform_target(values[:, 2], col=2), values[:, 2])


@pytest.mark.parametrize("cls", ALL)
def test_inverse_transform_target_undoes_one_column_for_any_shape(cls, values):
    scaler = cls().fit(values)
    scaled = scaler.transform(values)
    for col in range(3):
        forecasts = scaled[:36, col].reshape(4, 9)  # (B, horizon)
        restored = scaler.inverse_transform_target(forecasts, col=col)
        assert restored.shape == (4, 9)
        np.testing.assert_allclose(restored, values[:36, col].reshape(4, 9), rtol=1e-13)
    assert np.ndim(scaler.inverse_transform_target(scaled[0, 0])) == 0
    with pytest.raises(ValueError, match="col"):
        scaler.inverse_transform_target(scaled[:, 0], col=3)


@pytest.mark.parametrize("cls", [MinMaxScaler, StandardScaler])
def test_fit_uses_only_the_rows_given(cls, values):
    rows = values[:10]
    scaler = cls().fit(rows)
    reference = cls().fit(rows.copy())
    np.testing.assert_array_equal(scaler.scale_, reference.scale_)
    # statistics of the first 10 rows, not of all 40
    if cls is MinMaxScaler:
        np.testing.assert_array_equal(scaler.data_min_, rows.min(axis=0))
        np.testing.assert_array_equal(scaler.data_max_, rows.max(axis=0))
    else:
        np.testing.assert_allclose(scaler.mean_, rows.mean(axis=0), rtol=1e-14)
        assert not np.allclose(scaler.mean_, values.mean(axis=0))
    # values outside the fitted range are not clipped
    assert MinMaxScaler().fit(rows).transform(values).max() > 1.0


@pytest.mark.parametrize("name", ["minmax", "standard"])
def test_no_leakage_scaler_fitted_on_train_ignores_validation_rows(name):
    rng = np.random.default_rng(2)
    series = rng.normal(size=(100, 2))
    split = chronological_split(len(series), val_fraction=0.2, test_fraction=0.1)
    scaler_a = make_scaler(name).fit(series[split.train])
    tampered = series.copy()
    tampered[split.val] = 1e6  # wildly different validation and test rows
    tampered[split.test] = -1e6
    scaler_b = make_scaler(name).fit(tampered[split.train])
    assert scaler_a.to_dict() == scaler_b.to_dict()
    np.testing.assert_array_equal(scaler_a.transform(series[split.train]), scaler_b.transform(tampered[split.train]))
    # while a scaler fitted on every row would have changed
    assert make_scaler(name).fit(series).to_dict() != make_scaler(name).fit(tampered).to_dict()


@pytest.mark.parametrize("cls", ALL)
def test_to_dict_is_json_and_round_trips(cls, values):
    scaler = cls().fit(values)
    state = scaler.to_dict()
    assert state["kind"] == {MinMaxScaler: "minmax", StandardScaler: "standard", IdentityScaler: "none"}[cls]
    text = json.dumps(state)  # plain floats and lists only
    restored = scaler_from_dict(json.loads(text))
    assert type(restored) is cls
    assert restored.to_dict() == state
    np.testing.assert_array_equal(restored.transform(values), scaler.transform(values))
    np.testing.assert_array_equal(cls.from_dict(state).inverse_transform(values), scaler.inverse_transform(values))


def test_from_dict_rejects_the_wrong_kind(values):
    state = MinMaxScaler().fit(values).to_dict()
    with pytest.raises(ValueError, match="kind 'standard'"):
        StandardScaler.from_dict(state)
    with pytest.raises(ValueError, match="kind"):
        scaler_from_dict({"kind": "robust"})
    with pytest.raises(ValueError, match="data_max"):
        scaler_from_dict({"kind": "minmax", "data_min": [0.0]})


@pytest.mark.parametrize("cls", ALL)
def test_using_an_unfitted_scaler_is_an_error(cls):
    scaler = cls()
    for call in (scaler.transform, scaler.inverse_transform, scaler.inverse_transform_target):
        with pytest.raises(ValueError, match="not fitted"):
            call(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="not fitted"):
        scaler.to_dict()


@pytest.mark.parametrize("cls", ALL)
def test_shape_and_value_checks(cls, values):
    with pytest.raises(ValueError, match="values must have shape"):
        cls().fit(values[:, 0])
    with pytest.raises(ValueError, match="finite"):
        cls().fit(np.array([[1.0], [np.nan]]))
    scaler = cls().fit(values)
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        scaler.transform(values[:, :2])


def test_fitted_attributes_end_in_underscore(values):
    assert not hasattr(StandardScaler(), "mean_")
    scaler = StandardScaler().fit(values)
    assert {"mean_", "std_", "scale_", "n_features_"} <= set(vars(scaler))
    assert {"data_min_", "data_max_", "scale_", "n_features_"} <= set(vars(MinMaxScaler().fit(values)))


def test_make_scaler_names():
    assert type(make_scaler("minmax")) is MinMaxScaler
    assert type(make_scaler("standard")) is StandardScaler
    assert type(make_scaler("none")) is IdentityScaler
    assert type(make_scaler(None)) is IdentityScaler
    with pytest.raises(ValueError, match="scaler must be one of"):
        make_scaler("zscore")
