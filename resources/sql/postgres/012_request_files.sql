-- 012. Every file of a request (issue 13). Until now a request reached the server with its first file only (its
-- attachment_url); the others stayed on the desktop that filed it. Here the server keeps the list of a request's
-- files, in their order, so that every desktop of the tenant can show and download all of them. The list comes
-- with the request, in create_exception's "attachments" (an array of {"sha256", "file_name"}): each file must
-- already be stored for the tenant (put_attachment, which the desktop calls before it pushes the request), its
-- type and size are the server's (taken from the stored blob, never from the desktop), and the first one must be
-- the request's attachment_url. A request without "attachments" is taken as before (an older desktop). The list is
-- written with the exception, in the same transaction, and never changed after.

CREATE TABLE riskdesk.exception_attachments (
    tenant_id  text NOT NULL,
    record_id  text NOT NULL,
    position   integer NOT NULL CHECK (position BETWEEN 1 AND 10),
    sha256     text NOT NULL,
    file_name  text NOT NULL,
    mime_type  text NOT NULL,
    size_bytes bigint NOT NULL,
    PRIMARY KEY (tenant_id, record_id, position), -- unique checks bypass RLS: the key carries the tenant
    FOREIGN KEY (tenant_id, record_id) REFERENCES riskdesk.exceptions (tenant_id, record_id),
    FOREIGN KEY (tenant_id, sha256) REFERENCES riskdesk.attachment_blobs (tenant_id, sha256)
);

ALTER TABLE riskdesk.exception_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.exception_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.exception_attachments
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- A request's files are part of what was filed: they stay as they were, even against the owner.
CREATE TRIGGER exception_attachments_no_update_delete BEFORE UPDATE OR DELETE ON riskdesk.exception_attachments
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_attachment_change();
CREATE TRIGGER exception_attachments_no_truncate BEFORE TRUNCATE ON riskdesk.exception_attachments
    FOR EACH STATEMENT EXECUTE FUNCTION riskdesk.refuse_attachment_change();
ALTER TABLE riskdesk.exception_attachments ENABLE ALWAYS TRIGGER exception_attachments_no_update_delete;
ALTER TABLE riskdesk.exception_attachments ENABLE ALWAYS TRIGGER exception_attachments_no_truncate;

REVOKE ALL ON riskdesk.exception_attachments FROM PUBLIC;
GRANT SELECT ON riskdesk.exception_attachments TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor;

-- The request's fields are checked and the exception created as in 009, by that function under a name the app
-- roles cannot call; create_exception checks the list of files around it and writes it with the exception.
ALTER FUNCTION riskdesk.create_exception(text, jsonb, text) RENAME TO create_exception_fields;
REVOKE ALL ON FUNCTION riskdesk.create_exception_fields(text, jsonb, text)
    FROM PUBLIC, riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

CREATE FUNCTION riskdesk.create_exception(p_tenant text, p_exception jsonb, p_idempotency_key text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_files jsonb;
    v_file jsonb;
    v_position integer := 0;
    v_sha text;
    v_name text;
    v_out jsonb;
    v_record text;
    v_actor text;
    v_role text;
BEGIN
    IF p_tenant IS NULL OR p_exception IS NULL OR p_idempotency_key IS NULL THEN
        RAISE EXCEPTION 'create_exception needs a tenant, an exception and an idempotency key; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    -- A member of the tenant who files requests, before anything is read.
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role NOT IN ('applicant', 'approver') THEN
        RAISE EXCEPTION '% is a %; only applicants and approvers file exceptions', v_actor, v_role USING ERRCODE = '42501';
    END IF;
    IF pg_catalog.jsonb_typeof(p_exception) <> 'object' THEN
        RAISE EXCEPTION 'the exception must be a JSON object' USING ERRCODE = '22023';
    END IF;
    v_files := p_exception -> 'attachments';
    IF v_files IS NOT NULL THEN
        IF pg_catalog.jsonb_typeof(v_files) <> 'array' OR pg_catalog.jsonb_array_length(v_files) NOT BETWEEN 1 AND 10
        THEN
            RAISE EXCEPTION 'attachments must be an array of 1 to 10 files' USING ERRCODE = '22023';
        END IF;
        FOR v_file IN SELECT f.value FROM pg_catalog.jsonb_array_elements(v_files) f LOOP
            v_position := v_position + 1;
            IF pg_catalog.jsonb_typeof(v_file) <> 'object' THEN
                RAISE EXCEPTION 'attachment % is not a JSON object', v_position USING ERRCODE = '22023';
            END IF;
            v_sha := v_file ->> 'sha256';
            v_name := v_file ->> 'file_name';
            IF v_sha IS NULL OR v_sha !~ '^[0-9a-f]{64}$' THEN
                RAISE EXCEPTION 'attachment %: sha256 is not 64 lower-case hex digits', v_position
                    USING ERRCODE = '22023';
            END IF;
            IF v_name IS NULL OR pg_catalog.length(v_name) NOT BETWEEN 1 AND 255 OR v_name ~ '[/\\[:cntrl:]]'
               OR v_name IN ('.', '..') THEN
                RAISE EXCEPTION 'attachment %: a file name has 1 to 255 characters, no / or \\ and no control '
                                'characters', v_position USING ERRCODE = '22023';
            END IF;
            IF NOT EXISTS (SELECT FROM riskdesk.attachment_blobs b WHERE b.tenant_id = p_tenant AND b.sha256 = v_sha)
            THEN
                RAISE EXCEPTION 'attachment % (%) is not stored for tenant "%": put_attachment it first', v_position,
                    v_sha, p_tenant USING ERRCODE = '22023';
            END IF;
            IF v_position = 1 AND p_exception ->> 'attachment_url' IS DISTINCT FROM 'riskdesk-attachment:' || v_sha THEN
                RAISE EXCEPTION 'attachment_url must name the first attachment (riskdesk-attachment:%)', v_sha
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    END IF;

    -- The fields, the caller's role and the idempotency key (its fingerprint covers the list too).
    v_out := riskdesk.create_exception_fields(p_tenant, p_exception, p_idempotency_key);
    v_record := p_exception ->> 'record_id';
    IF v_files IS NOT NULL AND v_out ->> 'outcome' = 'applied' THEN
        -- A retry of the same request finds its list written already.
        INSERT INTO riskdesk.exception_attachments (tenant_id, record_id, position, sha256, file_name, mime_type,
                                                    size_bytes)
        SELECT p_tenant, v_record, f.ordinality::integer, f.value ->> 'sha256', f.value ->> 'file_name', b.mime_type,
               b.size_bytes
        FROM pg_catalog.jsonb_array_elements(v_files) WITH ORDINALITY f
        JOIN riskdesk.attachment_blobs b ON b.tenant_id = p_tenant AND b.sha256 = f.value ->> 'sha256'
        ON CONFLICT (tenant_id, record_id, position) DO NOTHING;
    END IF;
    RETURN v_out;
END
$$;

REVOKE ALL ON FUNCTION riskdesk.create_exception(text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.create_exception(text, jsonb, text) TO riskdesk_applicant, riskdesk_approver;
