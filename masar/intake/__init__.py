"""Document intake: read an official text (mandate, strategy, council decisions) into structured data.

Pure Python, no Django import: the API and the import commands call extract().
"""

from masar.intake.extract import extract  # noqa: F401
