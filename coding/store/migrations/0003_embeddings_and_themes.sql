-- Embedding cache and theme runs.
CREATE TABLE embeddings (
    model_id VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL,
    dimension INTEGER NOT NULL,
    vector BLOB NOT NULL,              -- float32 little-endian, unit-normalised
    PRIMARY KEY (model_id, text_hash)
);

CREATE SEQUENCE theme_run_ids START 1;

CREATE TABLE theme_runs (
    id INTEGER PRIMARY KEY DEFAULT nextval('theme_run_ids'),
    created_at TIMESTAMP NOT NULL,
    model_id VARCHAR NOT NULL,
    codebook_version INTEGER,
    manifest JSON NOT NULL             -- model, reducer and HDBSCAN parameters, seed, code version, corpus size
);

CREATE TABLE themes (
    run_id INTEGER NOT NULL,
    theme INTEGER NOT NULL,            -- 1..k by size
    label VARCHAR NOT NULL,
    custom_label VARCHAR,              -- a researcher's rename
    keywords JSON NOT NULL,
    size INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    speakers INTEGER NOT NULL,
    status VARCHAR NOT NULL,           -- matched | straddles | new
    codes JSON NOT NULL,               -- [{code, score}] best first
    centroid BLOB NOT NULL,
    PRIMARY KEY (run_id, theme)
);

CREATE TABLE theme_members (
    run_id INTEGER NOT NULL,
    excerpt_id VARCHAR NOT NULL,
    theme INTEGER NOT NULL,            -- -1: unthemed (HDBSCAN outlier)
    probability DOUBLE,
    representative_rank INTEGER,       -- 1..r for the theme's most representative excerpts
    nearest_theme INTEGER,             -- for outliers: the closest theme and its similarity
    similarity DOUBLE,
    PRIMARY KEY (run_id, excerpt_id)
);

CREATE SEQUENCE suggestion_run_ids START 1;

CREATE TABLE suggestion_runs (
    id INTEGER PRIMARY KEY DEFAULT nextval('suggestion_run_ids'),
    created_at TIMESTAMP NOT NULL,
    model_id VARCHAR NOT NULL,
    codebook_version INTEGER NOT NULL,
    manifest JSON NOT NULL             -- method, thresholds, training decisions used
);

CREATE TABLE suggestions (
    run_id INTEGER NOT NULL,
    excerpt_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    score DOUBLE NOT NULL,             -- calibrated 0..1
    zero_shot DOUBLE,
    learned DOUBLE,
    suggested BOOLEAN NOT NULL,        -- passes the decision rule
    evidence VARCHAR,                  -- why: the nearest codebook example or coded excerpt
    PRIMARY KEY (run_id, excerpt_id, code)
);
