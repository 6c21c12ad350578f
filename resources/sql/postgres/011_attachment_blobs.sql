-- Attachments filed with requests, kept on the server (issue 13) so that every desktop of the tenant can open
-- them, offline once pulled. Content-addressed per tenant: the key is the SHA-256 of the bytes, computed here
-- (never taken from the desktop), so a blob cannot be stored under another file's address. Read by the
-- tenant's members under the same row-level security as the exceptions; written only through
-- put_attachment (SECURITY DEFINER); never changed or removed once stored.
CREATE TABLE riskdesk.attachment_blobs (
    tenant_id   text NOT NULL REFERENCES riskdesk.tenants,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    mime_type   text NOT NULL CHECK (mime_type ~ '^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$'
                                     AND pg_catalog.length(mime_type) <= 127),
    size_bytes  bigint NOT NULL CHECK (size_bytes BETWEEN 0 AND 52428800),
    file_name   text NOT NULL, -- as the first uploader named it (put_attachment checks it)
    content     bytea NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (tenant_id, sha256), -- unique checks bypass RLS: the key carries the tenant
    CONSTRAINT attachment_blobs_size CHECK (pg_catalog.octet_length(content) = size_bytes),
    CONSTRAINT attachment_blobs_hash CHECK (pg_catalog.encode(pg_catalog.sha256(content), 'hex') = sha256)
);
ALTER TABLE riskdesk.attachment_blobs ALTER COLUMN content SET STORAGE EXTERNAL; -- mostly compressed already

ALTER TABLE riskdesk.attachment_blobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.attachment_blobs FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.attachment_blobs
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- A filed attachment is evidence: it stays as it was, even against the owner.
CREATE FUNCTION riskdesk.refuse_attachment_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'stored attachments are never changed: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER attachment_blobs_no_update_delete BEFORE UPDATE OR DELETE ON riskdesk.attachment_blobs
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_attachment_change();
CREATE TRIGGER attachment_blobs_no_truncate BEFORE TRUNCATE ON riskdesk.attachment_blobs
    FOR EACH STATEMENT EXECUTE FUNCTION riskdesk.refuse_attachment_change();
ALTER TABLE riskdesk.attachment_blobs ENABLE ALWAYS TRIGGER attachment_blobs_no_update_delete;
ALTER TABLE riskdesk.attachment_blobs ENABLE ALWAYS TRIGGER attachment_blobs_no_truncate;

REVOKE ALL ON riskdesk.attachment_blobs FROM PUBLIC;
GRANT SELECT ON riskdesk.attachment_blobs TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor;

-- Stores an attachment for the tenant and returns its address's hash. The caller must be an applicant or an
-- approver of the tenant (they file requests); the uploader is the caller's login, never an argument. The
-- content comes as base64 text (what libpq's text parameters carry), at most 50 MB once decoded; the type is
-- a plain MIME type; the file name has 1 to 255 characters, no path and no control characters. Storing the
-- same bytes again adds nothing (the first name stays) and answers the same hash.
CREATE FUNCTION riskdesk.put_attachment(p_tenant text, p_content_base64 text, p_mime_type text,
                                        p_file_name text)
    RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_content bytea;
    v_sha text;
BEGIN
    IF p_tenant IS NULL OR p_content_base64 IS NULL OR p_mime_type IS NULL OR p_file_name IS NULL THEN
        RAISE EXCEPTION 'put_attachment needs a tenant, the content, its type and its file name; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role NOT IN ('applicant', 'approver') THEN
        RAISE EXCEPTION '% is a %; only applicants and approvers file attachments', v_actor, v_role
            USING ERRCODE = '42501';
    END IF;
    -- Checked before decoding: base64 is 4/3 of the bytes.
    IF pg_catalog.length(p_content_base64) > 69905068 THEN
        RAISE EXCEPTION 'an attachment has at most 50 MB' USING ERRCODE = '54000';
    END IF;
    IF p_mime_type !~ '^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$' OR pg_catalog.length(p_mime_type) > 127 THEN
        RAISE EXCEPTION 'not a MIME type: "%"', pg_catalog.left(p_mime_type, 64) USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.length(p_file_name) NOT BETWEEN 1 AND 255 OR p_file_name ~ '[/\\[:cntrl:]]'
       OR p_file_name IN ('.', '..') THEN
        RAISE EXCEPTION 'a file name has 1 to 255 characters, no / or \\ and no control characters'
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        v_content := pg_catalog.decode(p_content_base64, 'base64');
    EXCEPTION WHEN invalid_parameter_value OR data_exception THEN
        RAISE EXCEPTION 'the content is not base64' USING ERRCODE = '22023';
    END;
    IF pg_catalog.octet_length(v_content) > 52428800 THEN
        RAISE EXCEPTION 'an attachment has at most 50 MB; this one has % bytes', pg_catalog.octet_length(v_content)
            USING ERRCODE = '54000';
    END IF;
    v_sha := pg_catalog.encode(pg_catalog.sha256(v_content), 'hex');
    INSERT INTO riskdesk.attachment_blobs (tenant_id, sha256, mime_type, size_bytes, file_name, content,
                                           uploaded_by)
    VALUES (p_tenant, v_sha, p_mime_type, pg_catalog.octet_length(v_content), p_file_name, v_content, v_actor)
    ON CONFLICT (tenant_id, sha256) DO NOTHING;
    RETURN v_sha;
END
$$;
REVOKE ALL ON FUNCTION riskdesk.put_attachment(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.put_attachment(text, text, text, text) TO riskdesk_applicant, riskdesk_approver;
