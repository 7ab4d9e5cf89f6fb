"""Preparing each series for the networks: what a fit reads (``fit_inputs``), the columns known in advance
and the calendar's (``known``), a panel's static attributes (``static``), encoding and scaling on training
rows (``scaling``), windows as the networks read them (``windowing``), and the checks a resumed fit makes
on its data (``resume_data``)."""
