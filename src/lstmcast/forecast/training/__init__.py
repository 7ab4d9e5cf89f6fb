"""Training: one member's Adam loop, the network, the window-normalisation candidates, a global fit over
every series (or one per series), what the fit computes from its validation windows, and tuning."""
