-- Free-text search over the queue: a trigram index (substring match in any script, CJK included) over the
-- text a person would type: record, target and applicant ids, category and justification.
-- detail=none keeps it small; candidates are re-checked against the row, so no false hit reaches the user.
-- The indexed text never changes after an exception is created, so an insert trigger keeps it complete.

CREATE VIRTUAL TABLE exceptions_search USING fts5 (
    body,
    content = '',
    tokenize = 'trigram',
    detail = 'none'
);

-- The one definition of the searchable text: used by the trigger and by bulk loads.
CREATE VIEW exceptions_search_body AS
SELECT rowid AS exception_rowid,
       record_id || ' ' || target_id || ' ' || applicant_id || ' ' || reason_category || ' ' || justification AS body
FROM exceptions;

CREATE TRIGGER exceptions_search_insert AFTER INSERT ON exceptions
BEGIN
    INSERT INTO exceptions_search (rowid, body)
    SELECT exception_rowid, body FROM exceptions_search_body WHERE exception_rowid = new.rowid;
END;
