-- Theme hierarchy and explained statuses: every theme of a run belongs to one top-level group (`parent`), and its
-- status carries the evidence it was decided on (`explanation`: each code's share of the members, the share the
-- codebook explains, the reason in words). Themes stored before this migration have neither (NULL).
ALTER TABLE themes ADD COLUMN parent INTEGER;
ALTER TABLE themes ADD COLUMN explanation JSON;

CREATE TABLE theme_groups (
    run_id INTEGER NOT NULL,
    theme_group INTEGER NOT NULL,      -- 1..g, largest first
    label VARCHAR NOT NULL,
    keywords JSON NOT NULL,
    size INTEGER NOT NULL,             -- excerpts in its themes
    turns INTEGER NOT NULL,            -- units (turns, or excerpts when themes are found in excerpts)
    status VARCHAR NOT NULL,           -- matched | straddles | new, decided like a theme's on all its members
    explanation JSON NOT NULL,
    PRIMARY KEY (run_id, theme_group)
);
