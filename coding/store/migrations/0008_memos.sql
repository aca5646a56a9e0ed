-- Memos on the project, a document, a code, a coding or a theme, kept as an append-only log.
-- Every add, edit, delete, undo and redo is one row with who and when; `memos` is derived from the log (see
-- coding.memos.log.replay and coding.store.memos), so no text is ever lost and any step can be undone.
CREATE SEQUENCE memo_event_ids START 1;
CREATE SEQUENCE memo_ids START 1;

CREATE TABLE memo_events (
    id BIGINT PRIMARY KEY DEFAULT nextval('memo_event_ids'),
    logged_at TIMESTAMP NOT NULL,
    coder VARCHAR NOT NULL,            -- who did it
    action VARCHAR NOT NULL,           -- add | edit | delete | undo | redo
    memo_id BIGINT,                    -- add/edit/delete: the memo
    target_kind VARCHAR,               -- add/edit: project | document | code | coding | theme
    target_ref VARCHAR,                -- add/edit: D07, COST, a coding's decision id, RUN:THEME; NULL for project
    title VARCHAR,                     -- add/edit: the memo's title and Markdown text after this step
    text VARCHAR,
    author VARCHAR,                    -- add: the memo's author (an import keeps the original author)
    created_at TIMESTAMP,              -- add: when the memo was written (an import keeps the original time)
    updated_at TIMESTAMP,              -- add from an import: when it was last changed there
    target BIGINT,                     -- undo/redo: the event undone or redone
    note VARCHAR                       -- where an import came from
);

-- The memos in force, derived from memo_events (rebuilt from it after every change).
CREATE TABLE memos (
    id BIGINT PRIMARY KEY,
    target_kind VARCHAR NOT NULL,
    target_ref VARCHAR,
    title VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL
);
