-- Where a theme also comes up: excerpts of units outside a theme that use its keywords as strongly as its members
-- (coding.themes.mentions). A mention never moves the excerpt: theme_members still gives each excerpt one theme.
-- Runs made before this migration have no mentions.
CREATE TABLE theme_mentions (
    run_id INTEGER NOT NULL,
    theme INTEGER NOT NULL,
    excerpt_id VARCHAR NOT NULL,
    score DOUBLE NOT NULL,             -- the unit's summed keyword weight for the theme
    PRIMARY KEY (run_id, theme, excerpt_id)
);
