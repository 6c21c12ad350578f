-- A comment pushed from here takes the time the server gave it, as every other desktop shows it: the author's
-- desktop kept its own clock's time, so threads were ordered differently on the author's desktop and on the
-- others (helper-74). The time is the one column a comment may still change; the rest is never rewritten.
DROP TRIGGER exception_comments_no_rewrite;
CREATE TRIGGER exception_comments_no_rewrite BEFORE UPDATE OF comment_seq, tenant_id, comment_id, record_id,
    author_id, body ON exception_comments
BEGIN
    SELECT RAISE(ABORT, 'a comment is never rewritten');
END;
