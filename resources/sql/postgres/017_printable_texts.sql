-- The desktop refuses a control character (other than the spaces among them: tab, line breaks, VT, FF, NEL)
-- and a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) in a comment, a rejection reason and
-- a justification (TextRules::firstControl). The server did not: a member calling add_comment, decide or
-- create_exception from psql could store an escape sequence, or text that a right-to-left override shows
-- reversed ("Trojan Source"), and every desktop of the tenant pulled it. Now each table that keeps such a text
-- refuses it, whichever function writes the row (decide, the push's sets, create_exception, add_comment).
-- NOT VALID: rows stored before this are not judged (the desktop shows what it pulled escaped), new ones are.
CREATE FUNCTION riskdesk.has_control(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p ~ '[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]'
$$;

ALTER TABLE riskdesk.comments
    ADD CONSTRAINT comment_body_has_no_control_or_override CHECK (NOT riskdesk.has_control(body)) NOT VALID;
ALTER TABLE riskdesk.approval_log
    ADD CONSTRAINT log_comment_has_no_control_or_override CHECK (NOT riskdesk.has_control(comment)) NOT VALID;
ALTER TABLE riskdesk.exceptions
    ADD CONSTRAINT justification_has_no_control_or_override
        CHECK (NOT riskdesk.has_control(justification)) NOT VALID,
    ADD CONSTRAINT rejection_reason_has_no_control_or_override
        CHECK (NOT riskdesk.has_control(rejection_reason)) NOT VALID;
