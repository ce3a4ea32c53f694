"""Every sentence the assistant says in its own words, in one place (answers, refusals, headings)."""

NO_ANSWER = "I could not find an answer to that in the documents."
RELATED_HEADING = "Possibly related passages (they do not answer the question)"
SOURCES_HEADING = "Sources"
CITATION_MARKER = "[{n}]"
EMPTY_QUESTION = "Please type a question about the documents."
NO_INDEX_YET = "Building the index from {corpus}/ first…"
INDEX_OUTDATED = "The index in {index}/ was built by an earlier version; rebuilding it from {corpus}/ first…"
CORPUS_CHANGED = "{changes}: updating the index first…"
UNEXPECTED_ERROR = "Something went wrong ({kind}); the server's terminal has the details. Please try again."
INDEX_INFO = "{documents} document(s), {chunks} chunks · model {model} · built {built_at}"
CHAT_TITLE = "China's Biodiversity Conservation — ask the white paper"
CHAT_INTRO = (
    "Answers are sentences quoted from the documents in the corpus, each with its source. "
    "When the documents do not answer a question, the assistant says so."
)
EXAMPLE_QUESTIONS = [
    "What is the ecological protection red line?",
    "Which law did China pass on biosafety?",
    "How does China protect endangered species outside their habitats?",
    "What is the capital of France?",
]
