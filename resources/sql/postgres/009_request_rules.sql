-- 009 (008 belongs to work merged separately). Requests filed from a desktop (issue 13): create_exception
-- holds a request to the rule's terms as the desktop's RuleTerms reads them (an inactive rule takes none; a
-- rule's max_validity_days bounds the window), and takes an attachment filed with the request, named by its
-- SHA-256 (riskdesk-attachment:<hex>), besides an http(s) address. Everything else is as in 003.

CREATE OR REPLACE FUNCTION riskdesk.create_exception(p_tenant text, p_exception jsonb, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_out jsonb;
    v_now timestamptz := pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp());
    v_record text := p_exception ->> 'record_id';
    v_target_type text := p_exception ->> 'target_type';
    v_target text := p_exception ->> 'target_id';
    v_rule text := p_exception ->> 'risk_rule_id';
    v_category text := riskdesk.trim_space(pg_catalog.left(coalesce(p_exception ->> 'reason_category', ''), 1000));
    v_justification text := coalesce(p_exception ->> 'justification', '');
    v_url text := nullif(p_exception ->> 'attachment_url', '');
    v_start timestamptz;
    v_end timestamptz;
    v_amount numeric;
    v_rule_payload jsonb;
    v_max_days integer;
    v_days numeric;
BEGIN
    IF p_tenant IS NULL OR p_exception IS NULL OR p_idempotency_key IS NULL THEN
        RAISE EXCEPTION 'create_exception needs a tenant, an exception and an idempotency key; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role NOT IN ('applicant', 'approver') THEN
        RAISE EXCEPTION '% is a %; only applicants and approvers file exceptions', v_actor, v_role USING ERRCODE = '42501';
    END IF;
    IF pg_catalog.jsonb_typeof(p_exception) <> 'object' THEN
        RAISE EXCEPTION 'the exception must be a JSON object' USING ERRCODE = '22023';
    END IF;
    IF v_record IS NULL OR v_record !~ '^exc-[0-9a-f]{12}$' THEN
        RAISE EXCEPTION 'record_id "%" is malformed: expected exc- followed by 12 lower-case hex digits',
            pg_catalog.left(coalesce(v_record, ''), 64) USING ERRCODE = '22023';
    END IF;
    IF v_target_type IS NULL OR v_target_type NOT IN ('claim', 'claim_item', 'transaction', 'merchant', 'user') THEN
        RAISE EXCEPTION 'target_type "%" is not one of claim, claim_item, transaction, merchant, user',
            pg_catalog.left(coalesce(v_target_type, ''), 64) USING ERRCODE = '22023';
    END IF;
    IF NOT riskdesk.is_plain_id(v_target) THEN
        RAISE EXCEPTION 'target_id must have 1 to 128 characters, none of them spaces, controls or invisible marks'
            USING ERRCODE = '22023';
    END IF;
    SELECT r.payload INTO v_rule_payload FROM riskdesk.rules r WHERE r.tenant_id = p_tenant AND r.rule_id = v_rule;
    IF v_rule IS NULL OR NOT FOUND THEN
        RAISE EXCEPTION 'risk_rule_id "%" is not a rule of tenant "%"', pg_catalog.left(coalesce(v_rule, ''), 64),
            p_tenant USING ERRCODE = '22023';
    END IF;
    -- The rule's terms as the desktop reads them (RuleTerms): a "status" other than "active" takes no new
    -- requests; "max_validity_days", a whole number from 1 to 366, bounds the window in days of 24 hours, as
    -- QDateTime::addDays in UTC (anything else is ignored).
    IF pg_catalog.jsonb_typeof(v_rule_payload -> 'status') = 'string' AND v_rule_payload ->> 'status' <> 'active' THEN
        RAISE EXCEPTION 'risk_rule_id "%" is not active: it takes no new requests', v_rule USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.jsonb_typeof(v_rule_payload -> 'max_validity_days') = 'number' THEN
        v_days := (v_rule_payload ->> 'max_validity_days')::numeric;
        IF v_days = pg_catalog.trunc(v_days) AND v_days BETWEEN 1 AND 366 THEN
            v_max_days := v_days::integer;
        END IF;
    END IF;
    IF NOT riskdesk.is_plain_label(v_category) THEN
        RAISE EXCEPTION 'reason_category must not be blank, has at most 64 characters and no control, tab or '
                        'invisible character' USING ERRCODE = '22023';
    END IF;
    IF riskdesk.is_blank(v_justification) OR pg_catalog.length(v_justification) > 10000 THEN
        RAISE EXCEPTION 'justification must not be blank and has at most 10000 characters' USING ERRCODE = '22023';
    END IF;
    -- An http(s) address, or a file filed with the request on a desktop, named by its SHA-256
    -- (ExceptionValidator::isFiledAttachmentUrl).
    IF v_url IS NOT NULL AND v_url !~ '^riskdesk-attachment:[0-9a-f]{64}$'
       AND (pg_catalog.length(v_url) > 2048 OR v_url !~ '^https?://[^/?#@]+' OR riskdesk.has_blank_character(v_url)) THEN
        RAISE EXCEPTION 'attachment_url is not an http(s) address of at most 2048 characters or a filed attachment '
                        '(riskdesk-attachment: and a SHA-256)' USING ERRCODE = '22023';
    END IF;
    -- Times as ExceptionValidator takes them: ISO-8601 with an offset (never DateStyle's reading of
    -- "03/04/2026"), finite, from 2000 to 2200; the window at most 366 days long and not over already.
    v_start := riskdesk.iso_time(p_exception ->> 'valid_start_time');
    IF v_start IS NULL THEN
        RAISE EXCEPTION 'valid_start_time "%" is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z) from '
                        '2000 to 2200', pg_catalog.left(coalesce(p_exception ->> 'valid_start_time', ''), 64)
            USING ERRCODE = '22023';
    END IF;
    v_end := riskdesk.iso_time(p_exception ->> 'valid_end_time');
    IF v_end IS NULL THEN
        RAISE EXCEPTION 'valid_end_time "%" is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z) from '
                        '2000 to 2200', pg_catalog.left(coalesce(p_exception ->> 'valid_end_time', ''), 64)
            USING ERRCODE = '22023';
    END IF;
    IF v_end <= v_start THEN
        RAISE EXCEPTION 'valid_end_time must be after valid_start_time' USING ERRCODE = '22023';
    END IF;
    IF v_end - v_start > interval '366 days' THEN
        RAISE EXCEPTION 'valid_end_time is more than 366 days after valid_start_time' USING ERRCODE = '22023';
    END IF;
    IF v_max_days IS NOT NULL AND v_end > v_start + pg_catalog.make_interval(hours => 24 * v_max_days) THEN
        RAISE EXCEPTION 'valid_end_time is more than % days after valid_start_time, the longest window rule % allows',
            v_max_days, v_rule USING ERRCODE = '22023';
    END IF;
    IF v_end <= v_now THEN
        RAISE EXCEPTION 'valid_end_time % has passed: a window must still be open when it is filed',
            riskdesk.iso_ms(v_end) USING ERRCODE = '22023';
    END IF;
    -- Money::kMaxAmount: finite, from 0 to 10^13 (numeric also reads 'NaN').
    IF p_exception ? 'amount' AND pg_catalog.jsonb_typeof(p_exception -> 'amount') <> 'null' THEN
        BEGIN
            v_amount := (p_exception ->> 'amount')::numeric;
        EXCEPTION WHEN data_exception THEN
            RAISE EXCEPTION 'amount "%" is not a number', pg_catalog.left(p_exception ->> 'amount', 64)
                USING ERRCODE = '22023';
        END;
        IF v_amount = 'NaN'::numeric OR v_amount < 0 OR v_amount > 10000000000000 THEN
            RAISE EXCEPTION 'amount % is not a number from 0 to 10000000000000', pg_catalog.left(v_amount::text, 64)
                USING ERRCODE = '22023';
        END IF;
        v_amount := pg_catalog.round(v_amount, 2);
    END IF;

    v_out := riskdesk.claim_request(p_tenant, v_actor, p_idempotency_key,
                                    pg_catalog.md5(pg_catalog.jsonb_build_array('create_exception', p_exception)::text));
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;
    IF EXISTS (SELECT FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = v_record) THEN
        RAISE EXCEPTION 'exception % already exists', v_record USING ERRCODE = '23505';
    END IF;
    INSERT INTO riskdesk.exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, target_id,
                                     risk_rule_id, status, valid_start_time, valid_end_time, reason_category,
                                     justification, attachment_url, amount, last_status_at)
    VALUES (p_tenant, v_record, v_actor, v_now, v_target_type, v_target, v_rule, 'pending', v_start, v_end, v_category,
            v_justification, v_url, v_amount, v_now);
    PERFORM riskdesk.record_change(p_tenant, v_record);
    v_out := riskdesk.outcome('applied', 'created', '', p_tenant, v_record);
    RETURN riskdesk.finish_request(p_tenant, v_actor, p_idempotency_key, v_out);
END
$$;

REVOKE ALL ON FUNCTION riskdesk.create_exception(text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.create_exception(text, jsonb, text) TO riskdesk_applicant, riskdesk_approver;
