-- Answers of a local LLM coder (OpenAI-compatible chat API), one row per (model, prompt version, answer key).
-- The key hashes everything the model saw for one turn (codebook part of the prompt, question, turn text), so a
-- resumed or repeated run asks only turns whose prompt is new, and an edited codebook or transcript is asked again.
CREATE TABLE llm_answers (
    model VARCHAR NOT NULL,
    prompt_version VARCHAR NOT NULL,
    answer_key VARCHAR NOT NULL,       -- sha256 of the turn's prompt
    document VARCHAR NOT NULL,         -- where the turn was when it was asked (for reading the table)
    turn INTEGER NOT NULL,
    status VARCHAR NOT NULL,           -- ok | failed (a failure is asked again on the next run, never guessed)
    codes JSON NOT NULL,               -- [{code, justification, confidence}]; [] when no code applies or on failure
    error VARCHAR,                     -- why it failed: invalid JSON, unknown code ids, timeout, HTTP status
    endpoint_host VARCHAR NOT NULL,
    attempts INTEGER NOT NULL,
    seconds DOUBLE,                    -- wall time of the request that answered it (for time estimates)
    answered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (model, prompt_version, answer_key)
);
