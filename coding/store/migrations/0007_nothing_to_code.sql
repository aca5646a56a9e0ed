-- "Nothing to code here" is a review decision: action 'nothing' on an excerpt, with no code. It holds no coding,
-- takes the excerpt out of the coder's review queue and is undone like any other decision. (The rejections of one
-- "None of these" share a `batch`, as an import does, so one undo takes the whole group back.)
-- Codings coded by a bulk action on a theme carry source 'theme' (the note names the run and the theme).
-- No table changes: this version exists so that a qcode which does not know these values refuses the project
-- instead of misreading its log.
COMMENT ON COLUMN decisions.action IS 'code | uncode | reject | recode | nothing | undo | redo';
