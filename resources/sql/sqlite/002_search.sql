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

CREATE TRIGGER exceptions_search_insert AFTER INSERT ON exceptions
BEGIN
    INSERT INTO exceptions_search (rowid, body)
    VALUES (new.rowid, new.record_id || ' ' || new.target_id || ' ' || new.applicant_id || ' ' ||
                       new.reason_category || ' ' || new.justification);
END;
