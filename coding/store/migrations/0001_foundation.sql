-- Transcripts, their speaker turns and excerpts, and project settings.
-- Offsets are character offsets into documents.text, which never changes for a given version.
CREATE TABLE project_settings (
    key VARCHAR PRIMARY KEY,
    value JSON NOT NULL
);

CREATE TABLE documents (
    name VARCHAR PRIMARY KEY,          -- file name without extension: "D07"
    version INTEGER NOT NULL,          -- current version; older ones stay in document_versions
    source_path VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,     -- sha256 of the source file bytes
    title VARCHAR,
    text VARCHAR NOT NULL,
    attributes JSON NOT NULL,
    segmenter JSON NOT NULL,           -- SegmenterSettings that produced the excerpts
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE document_versions (
    name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    source_path VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE turns (
    document VARCHAR NOT NULL,
    number INTEGER NOT NULL,           -- 1..n counting every turn, interviewer turns too
    speaker VARCHAR NOT NULL,
    role VARCHAR NOT NULL,             -- interviewer | respondent
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    source_line INTEGER,
    start_time DOUBLE,
    end_time DOUBLE,
    PRIMARY KEY (document, number)
);

CREATE TABLE excerpts (
    id VARCHAR PRIMARY KEY,            -- "D07:12:1"
    document VARCHAR NOT NULL,
    turn INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL         -- embedding cache key together with the model id
);
