"""The domain core: periods, targets, ratings, change and checks.

Pure functions over frozen dataclasses. Nothing here imports Django or does
I/O, so the CLI, the web application and the reports all share one
evaluation (a test enforces the boundary).
"""
