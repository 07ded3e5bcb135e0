"""Document intake: read an official text (mandate, strategy, council decisions) into structured data.

Pure Python, no Django import: the API and the import commands call extract().
"""

from masar.intake.extract import extract  # noqa: F401

# The longest text read at once: about 150 pages, read in under 5 s. A decree or a strategy runs to tens of thousands
# of characters; beyond this a request is refused with the limit instead of holding a worker.
MAX_CHARS = 300_000
