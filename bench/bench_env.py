"""What every bench script needs before importing qa: the repository on the path, models loaded offline."""

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEST_QUESTION_FILES = sorted((ROOT / "tests" / "data").glob("*.jsonl"))  # tuning sets; never eval/
