"""Starts the chat on http://127.0.0.1:7860 (QA_HOST / QA_PORT change that); builds the index first if needed."""

import sys

from qa.errors import QAError

if __name__ == "__main__":
    import gc

    gc.disable()  # while Gradio is imported (serve turns it on again): 2.5 -> 2.1 s, median of 5 runs each
    import qa

    loading = qa.preload()  # the index and models load while Gradio is imported
    from qa.ui import serve

    try:
        serve(preloading=loading)
    except QAError as error:
        print(f"qa: {error}", file=sys.stderr)
        sys.exit(2)
