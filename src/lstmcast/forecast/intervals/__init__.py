"""Intervals: conformity scores and adaptive thresholds, conformal quantiles, bands (point, Monte-Carlo
dropout, quantile), which scores calibrate each series, and interval scores."""
