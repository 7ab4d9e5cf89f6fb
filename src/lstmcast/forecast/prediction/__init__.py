"""Prediction: what forecasts each series (its SeriesModel), members to forecasts with no harm, the next
values and the forecasts of windows, for one series and for panels."""
