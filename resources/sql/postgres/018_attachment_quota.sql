-- Any applicant or approver could fill the server's disk: put_attachment takes up to 50 MB a call, as many calls
-- as it likes, and a stored file is evidence that nobody may delete. Each login now has two limits per tenant,
-- checked as a file is stored (a file the tenant already has adds nothing and is never refused):
--   * what it stored in the last 24 hours (default 2 GiB: four requests of ten 50 MB files a day);
--   * what it stored in the last 7 days that no request names yet (default 1 GiB): a desktop uploads a
--     request's files just before it files the request, so an honest login's unnamed files are the few
--     requests it is filing now.
-- An administrator sets a tenant's own limits in riskdesk.attachment_quota.
CREATE TABLE riskdesk.attachment_quota (
    tenant_id text PRIMARY KEY REFERENCES riskdesk.tenants,
    bytes_per_day bigint NOT NULL CHECK (bytes_per_day > 0),
    unnamed_bytes bigint NOT NULL CHECK (unnamed_bytes > 0)
);
-- Forced row-level security like every tenant table: the quota check reads it as the owner, for the
-- uploader's own tenant.
ALTER TABLE riskdesk.attachment_quota ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.attachment_quota FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.attachment_quota
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));
REVOKE ALL ON riskdesk.attachment_quota FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON riskdesk.attachment_quota TO riskdesk_admin;

CREATE INDEX attachment_blobs_by_uploader ON riskdesk.attachment_blobs (tenant_id, uploaded_by, uploaded_at)
    INCLUDE (size_bytes);
CREATE INDEX exception_attachments_by_blob ON riskdesk.exception_attachments (tenant_id, sha256);

CREATE FUNCTION riskdesk.check_attachment_quota() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_per_day bigint := 2147483648;
    v_unnamed_limit bigint := 1073741824;
    v_today bigint;
    v_unnamed bigint;
BEGIN
    IF EXISTS (SELECT FROM riskdesk.attachment_blobs b WHERE b.tenant_id = NEW.tenant_id AND b.sha256 = NEW.sha256)
    THEN
        RETURN NEW; -- stored already: the insert adds nothing (ON CONFLICT DO NOTHING)
    END IF;
    -- The sums below must see every file stored before this one: each statement of a READ COMMITTED
    -- transaction takes a fresh snapshot, a REPEATABLE READ one keeps its first (helper-78: N sessions opened
    -- that way each saw only their own files, N times the limit).
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'files are stored at the READ COMMITTED isolation level only, not %',
            pg_catalog.current_setting('transaction_isolation') USING ERRCODE = '25001';
    END IF;
    -- Dated when stored, not when a long transaction began (now()), so the day's limit counts it today.
    NEW.uploaded_at := pg_catalog.clock_timestamp();
    -- One file of a login at a time, so that two uploads at once cannot both pass on the same sums. (The
    -- membership row: caller() holds it FOR KEY SHARE, which this lock does not wait for; no app role can
    -- take this lock itself.)
    PERFORM FROM riskdesk.memberships m WHERE m.tenant_id = NEW.tenant_id AND m.user_id = NEW.uploaded_by
        FOR NO KEY UPDATE;
    SELECT q.bytes_per_day, q.unnamed_bytes INTO v_per_day, v_unnamed_limit
      FROM riskdesk.attachment_quota q WHERE q.tenant_id = NEW.tenant_id;
    IF NOT FOUND THEN
        v_per_day := 2147483648;
        v_unnamed_limit := 1073741824;
    END IF;
    SELECT coalesce(pg_catalog.sum(b.size_bytes), 0) INTO v_today FROM riskdesk.attachment_blobs b
     WHERE b.tenant_id = NEW.tenant_id AND b.uploaded_by = NEW.uploaded_by
       AND b.uploaded_at > pg_catalog.clock_timestamp() - interval '1 day';
    IF v_today + NEW.size_bytes > v_per_day THEN
        RAISE EXCEPTION 'attachment quota: % stored % bytes in tenant % in the last 24 hours, and this file of % '
                        'bytes would pass the limit of % a day', NEW.uploaded_by, v_today, NEW.tenant_id,
                        NEW.size_bytes, v_per_day
            USING ERRCODE = '53400', HINT = 'Try again later, or ask an administrator (riskdesk.attachment_quota).';
    END IF;
    SELECT coalesce(pg_catalog.sum(b.size_bytes), 0) INTO v_unnamed FROM riskdesk.attachment_blobs b
     WHERE b.tenant_id = NEW.tenant_id AND b.uploaded_by = NEW.uploaded_by
       AND b.uploaded_at > pg_catalog.clock_timestamp() - interval '7 days'
       AND NOT EXISTS (SELECT FROM riskdesk.exception_attachments a
                        WHERE a.tenant_id = b.tenant_id AND a.sha256 = b.sha256);
    IF v_unnamed + NEW.size_bytes > v_unnamed_limit THEN
        RAISE EXCEPTION 'attachment quota: % has % bytes of files in tenant % that no request names, and this '
                        'file of % bytes would pass the limit of %', NEW.uploaded_by, v_unnamed, NEW.tenant_id,
                        NEW.size_bytes, v_unnamed_limit
            USING ERRCODE = '53400',
                  HINT = 'File the requests these files belong to first, or ask an administrator '
                         '(riskdesk.attachment_quota).';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION riskdesk.check_attachment_quota() FROM PUBLIC;
CREATE TRIGGER attachment_blobs_quota BEFORE INSERT ON riskdesk.attachment_blobs
    FOR EACH ROW EXECUTE FUNCTION riskdesk.check_attachment_quota();
