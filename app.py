"""Starts the chat on http://127.0.0.1:7860 (QA_HOST / QA_PORT change that); builds the index first if needed."""

import sys

from qa.errors import QAError

if __name__ == "__main__":
    from qa.cli import serve_chat

    try:
        serve_chat()
    except QAError as error:
        print(f"qa: {error}", file=sys.stderr)
        sys.exit(2)
