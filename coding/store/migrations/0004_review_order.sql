-- The active-learning review order of a suggestion run, written once per run on first use so that finding the next
-- excerpt to review reads a short ordered list instead of ranking every (excerpt, code) score on each click.
-- A cache: it can always be recomputed from `suggestions` (see coding.store.review_queue).
CREATE TABLE review_order (
    run_id INTEGER NOT NULL,
    position INTEGER NOT NULL,         -- 1 = the excerpt whose closest call is nearest the run's threshold
    excerpt_id VARCHAR NOT NULL,
    uncertainty DOUBLE NOT NULL,       -- |score - threshold| of the excerpt's closest call
    PRIMARY KEY (run_id, excerpt_id)
);
