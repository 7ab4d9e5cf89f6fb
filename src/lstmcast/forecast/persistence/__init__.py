"""Model folders of a Forecaster (JSON + safetensors, never pickle): one series or a panel."""
