"""I/O: the observation store, LaTeX tables, plots and JSON output. Nothing here computes mathematics."""
