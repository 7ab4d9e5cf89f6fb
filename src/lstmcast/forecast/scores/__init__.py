"""Scores beside the baselines: naive, seasonal naive, drift, Naive2 and the classical models, the metrics,
the no-harm weights, the verdict, and the evaluation of one series or of a panel."""
