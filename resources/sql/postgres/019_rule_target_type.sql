-- A rule judges one kind of target (its payload's "target_type": claim, claim_item, transaction, merchant or
-- user), and a waiver of it for another kind waives nothing: a device rule filed for a claim (helper-77). The
-- desktop refuses the pair (RuleTerms, ExceptionValidator); so does the server now, for every new exception
-- whoever writes it. A payload without the key, or with a word that names no kind of target, allows any, as on
-- the desktop. Existing exceptions are not judged.
CREATE FUNCTION riskdesk.check_rule_target_type() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_kind text;
BEGIN
    SELECT r.payload ->> 'target_type' INTO v_kind FROM riskdesk.rules r
     WHERE r.tenant_id = NEW.tenant_id AND r.rule_id = NEW.risk_rule_id
       AND pg_catalog.jsonb_typeof(r.payload -> 'target_type') = 'string';
    IF v_kind IN ('claim', 'claim_item', 'transaction', 'merchant', 'user') AND v_kind <> NEW.target_type THEN
        RAISE EXCEPTION 'target_type "%" does not match risk_rule_id "%", which is for % targets', NEW.target_type,
            NEW.risk_rule_id, v_kind USING ERRCODE = '22023';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION riskdesk.check_rule_target_type() FROM PUBLIC;
CREATE TRIGGER exceptions_rule_target_type BEFORE INSERT ON riskdesk.exceptions
    FOR EACH ROW EXECUTE FUNCTION riskdesk.check_rule_target_type();
