"""The Telegram layer: the only package that imports `telegram`."""

import os

# Opt in to PTB's future behaviour: RetryAfter.retry_after is a timedelta. Reading it as an int
# is deprecated since PTB 22.2 and warns on every flood-control error otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "true")
