"""A panel's model folder."""


def test_a_panel_fitted_without_validation_is_saved_and_loaded(tmp_path):
    import numpy as np
    import pandas as pd

    from lstmcast import Forecaster

    t = np.arange(80)
    frame = pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": t, "y": np.sin(t / 3) + k}) for k in range(3)],
                      ignore_index=True)
    fc = Forecaster(look_back=6, horizon=3, hidden_size=4, epochs=2, val_fraction=0, verbose=False).fit(frame)
    loaded = Forecaster.load(fc.save(tmp_path / "m"))  # the validation error is NaN: JSON has no NaN
    pd.testing.assert_frame_equal(loaded.forecast(), fc.forecast(), check_exact=True)
