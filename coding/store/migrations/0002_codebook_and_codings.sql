-- Codebook versions and the coding decision log.
-- Codings refer to code ids, never to names, so renaming a code or editing its definition keeps every coding.
CREATE TABLE codebook_versions (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    codebook JSON NOT NULL,            -- the validated Codebook model
    source_path VARCHAR,
    note VARCHAR,
    created_by VARCHAR,
    created_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE decision_ids START 1;

-- Append-only: every accept, reject, code, uncode, recode, import, merge, undo and redo is one row.
CREATE TABLE decisions (
    id BIGINT PRIMARY KEY DEFAULT nextval('decision_ids'),
    decided_at TIMESTAMP NOT NULL,
    coder VARCHAR NOT NULL,
    action VARCHAR NOT NULL,           -- code | uncode | reject | recode | undo | redo
    document VARCHAR,
    start_offset INTEGER,
    end_offset INTEGER,
    turn INTEGER,
    excerpt_id VARCHAR,
    code VARCHAR,
    from_code VARCHAR,                 -- recode: the code replaced
    source VARCHAR,                    -- human | accepted-suggestion | imported
    target BIGINT,                     -- undo/redo: the decision undone or redone
    batch VARCHAR,                     -- groups the rows of one import or merge
    score DOUBLE,
    note VARCHAR
);

-- The current codings, derived from the decision log (rebuilt from it on demand; see coding.store.codings).
CREATE TABLE codings (
    decision_id BIGINT PRIMARY KEY,
    coder VARCHAR NOT NULL,
    document VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    turn INTEGER NOT NULL,
    excerpt_id VARCHAR,
    code VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Suggestions a coder rejected: negatives for the learned suggester, derived from the log like codings.
CREATE TABLE rejections (
    decision_id BIGINT PRIMARY KEY,
    coder VARCHAR NOT NULL,
    excerpt_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
