"""A file storage that holds a worker in the middle of a job, for the tests that kill a worker mid-job.

While the file named by MASAR_TEST_HOLD_FILE exists, saving a file waits: the job has been claimed and its
work done, and it is stopped just before its result is written. The first save also writes the waiting
process's id and its parent's next to the hold file (".reached"), so the test knows whom to kill.
"""

import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class HeldStorage(FileSystemStorage):
    def _save(self, name, content):
        hold = os.environ.get("MASAR_TEST_HOLD_FILE", "")
        if hold and os.path.exists(hold):
            Path(hold + ".reached").write_text(f"{os.getpid()} {os.getppid()}")
            while os.path.exists(hold):
                time.sleep(0.05)
        return super()._save(name, content)
