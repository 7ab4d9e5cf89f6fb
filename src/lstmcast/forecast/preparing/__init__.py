"""Preparing each series for the networks: encoding and scaling on its training rows, windows as the
networks read them, and the checks a resumed fit makes on its data."""
