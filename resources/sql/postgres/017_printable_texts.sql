-- The desktop refuses a control character (other than the spaces among them: tab, line breaks, VT, FF, NEL)
-- and a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) in a comment, a rejection reason and
-- a justification (TextRules::firstControl). The server did not: a member calling add_comment, decide or
-- create_exception from psql could store an escape sequence, or text that a right-to-left override shows
-- reversed ("Trojan Source"), and every desktop of the tenant pulled it. Now each table that keeps such a text
-- refuses it, whichever function writes the row (decide, the push's sets, create_exception, add_comment).
-- Rows stored before this are not judged: the log and the comments are only ever appended to (NOT VALID), and
-- an exception's texts are judged when they are written, so an old exception's justification never stops its
-- decision or the sweep that ends its window (a CHECK would judge every update of the row).
CREATE FUNCTION riskdesk.has_control(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p ~ '[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]'
$$;

ALTER TABLE riskdesk.comments
    ADD CONSTRAINT comment_body_has_no_control_or_override CHECK (NOT riskdesk.has_control(body)) NOT VALID;
ALTER TABLE riskdesk.approval_log
    ADD CONSTRAINT log_comment_has_no_control_or_override CHECK (NOT riskdesk.has_control(comment)) NOT VALID;
CREATE FUNCTION riskdesk.refuse_exception_controls() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF (TG_OP = 'INSERT' OR NEW.justification IS DISTINCT FROM OLD.justification)
       AND riskdesk.has_control(NEW.justification) THEN
        RAISE EXCEPTION 'the justification contains a control character or a bidirectional override'
            USING ERRCODE = '23514';
    END IF;
    IF (TG_OP = 'INSERT' OR NEW.rejection_reason IS DISTINCT FROM OLD.rejection_reason)
       AND riskdesk.has_control(NEW.rejection_reason) THEN
        RAISE EXCEPTION 'the rejection reason contains a control character or a bidirectional override'
            USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION riskdesk.refuse_exception_controls() FROM PUBLIC;
CREATE TRIGGER exceptions_printable_texts BEFORE INSERT OR UPDATE OF justification, rejection_reason
    ON riskdesk.exceptions FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_exception_controls();
