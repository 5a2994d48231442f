#!/usr/bin/python3
"""Terminal tests for message quality (placeholder, filled below)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

sziatest.main(globals())
