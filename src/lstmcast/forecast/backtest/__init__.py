"""Walk-forward backtests, of one series and of panels."""
