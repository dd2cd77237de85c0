"""I/O: the observation store, LaTeX tables, plots and JSON output. Nothing here computes mathematics."""

if __name__ == "report":  # the folder imported from a checkout, outside the boundcheck namespace
    raise ImportError("boundcheck's packages install as boundcheck.report (pip install -e .); "
                      "import boundcheck.report, not report")
