-- Comments on exceptions (issue 13), in a table of their own: a comment never changes a decision, the
-- exception's row or version, or the approval log and its hash chain. A comment written here waits in the
-- outbox (kind 'comment', its comment_id the idempotency key) until the server has it; one pulled from the
-- server has no outbox entry. Numbered 026: 021..025 belong to work merged separately.

-- comment_seq is the row's stable key for the search index (an INTEGER PRIMARY KEY survives VACUUM).
CREATE TABLE exception_comments (
    comment_seq INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    comment_id  TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    at          INTEGER NOT NULL,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    mentions    TEXT NOT NULL DEFAULT '[]', -- JSON array of user ids
    UNIQUE (tenant_id, comment_id)
);
-- The detail panel's thread, oldest first.
CREATE INDEX exception_comments_by_record ON exception_comments (tenant_id, record_id, at);

-- What was said stays said: only the mention list may be replaced (by the server's, after a push).
CREATE TRIGGER exception_comments_no_delete BEFORE DELETE ON exception_comments
BEGIN
    SELECT RAISE(ABORT, 'a comment is never deleted');
END;
CREATE TRIGGER exception_comments_no_rewrite BEFORE UPDATE OF comment_seq, tenant_id, comment_id, record_id,
    author_id, at, body ON exception_comments
BEGIN
    SELECT RAISE(ABORT, 'a comment is never rewritten');
END;

-- The queue's search finds an exception by its comments' text: a trigram index like exceptions_search
-- (002), one row per comment, kept by an insert trigger (comments never change). The queue re-checks each
-- candidate against the text, so no false hit reaches the user.
CREATE VIRTUAL TABLE comments_search USING fts5 (
    body,
    content = '',
    tokenize = 'trigram',
    detail = 'none'
);
CREATE TRIGGER exception_comments_search_insert AFTER INSERT ON exception_comments
BEGIN
    INSERT INTO comments_search (rowid, body) VALUES (new.comment_seq, new.body);
END;
