"""How the results are shown: the command line, output helpers and the demo (present stage)."""
