-- Comments on exceptions (issue 13). A table of its own, so a comment never changes an exception's row, its
-- version, a decision or the approval log's hash chain. Written only through add_comment (SECURITY DEFINER);
-- read by the tenant's members under the same row-level security as the exceptions.

-- Read by desktops below pg_snapshot_xmin by (change_xid, comment_seq), like riskdesk.changes, so a late commit
-- is never skipped. comment_id is the desktop's id for the comment and its push's idempotency key.
CREATE TABLE riskdesk.comments (
    tenant_id   text NOT NULL REFERENCES riskdesk.tenants,
    comment_seq bigserial NOT NULL,
    change_xid  xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    comment_id  uuid NOT NULL,
    record_id   text NOT NULL,
    author_id   text NOT NULL,
    body        text NOT NULL CHECK (pg_catalog.length(body) BETWEEN 1 AND 4000),
    mentions    text[] NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, comment_seq),
    UNIQUE (tenant_id, comment_id), -- unique checks bypass RLS: the key carries the tenant
    FOREIGN KEY (tenant_id, record_id) REFERENCES riskdesk.exceptions
);
CREATE INDEX comments_in_order ON riskdesk.comments (change_xid, comment_seq);
CREATE INDEX comments_by_record ON riskdesk.comments (tenant_id, record_id, at);

ALTER TABLE riskdesk.comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk.comments FORCE ROW LEVEL SECURITY;
CREATE POLICY member_tenants ON riskdesk.comments
    USING (tenant_id IN (SELECT m.tenant_id FROM riskdesk.memberships m WHERE m.login_role = session_user)
           OR pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'));

-- What was said stays said, even against the owner.
CREATE FUNCTION riskdesk.refuse_comment_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'comments are never changed: % is refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER comments_no_update_delete BEFORE UPDATE OR DELETE ON riskdesk.comments
    FOR EACH ROW EXECUTE FUNCTION riskdesk.refuse_comment_change();
CREATE TRIGGER comments_no_truncate BEFORE TRUNCATE ON riskdesk.comments
    FOR EACH STATEMENT EXECUTE FUNCTION riskdesk.refuse_comment_change();
ALTER TABLE riskdesk.comments ENABLE ALWAYS TRIGGER comments_no_update_delete;
ALTER TABLE riskdesk.comments ENABLE ALWAYS TRIGGER comments_no_truncate;

REVOKE ALL ON riskdesk.comments FROM PUBLIC;
REVOKE ALL ON SEQUENCE riskdesk.comments_comment_seq_seq FROM PUBLIC;
GRANT SELECT ON riskdesk.comments TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;

-- A comment as desktops keep it (times in epoch milliseconds).
CREATE FUNCTION riskdesk.comment_json(p_tenant text, p_comment uuid) RETURNS jsonb
    LANGUAGE sql STABLE SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
    SELECT pg_catalog.jsonb_build_object('comment_id', c.comment_id, 'record_id', c.record_id,
                                         'author_id', c.author_id, 'body', c.body,
                                         'mentions', pg_catalog.to_jsonb(c.mentions),
                                         'at', (pg_catalog.date_part('epoch', c.at) * 1000)::bigint)
    FROM riskdesk.comments c WHERE c.tenant_id = p_tenant AND c.comment_id = p_comment
$$;

-- Adds a comment to an exception of the tenant. The author is the caller's login (never an argument), an
-- approver of the tenant. The text follows CommentText (models/domain/CommentText.cpp; change both together):
-- not blank, at most 4000 characters once trimmed; its mentions ("@login" of a member of the tenant, else the
-- login without its trailing '.' and '-') are found here, not taken from the desktop. p_comment_id (a UUID) is
-- the idempotency key: a retried push returns the first answer and adds nothing.
CREATE FUNCTION riskdesk.add_comment(p_tenant text, p_record text, p_body text, p_comment_id text)
    RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
    SET lock_timeout = '10s'
    SET search_path = pg_catalog, riskdesk, pg_temp
    AS $$
DECLARE
    v_actor text;
    v_role text;
    v_id uuid;
    v_body text;
    v_mentions text[];
    v_out jsonb;
BEGIN
    IF p_tenant IS NULL OR p_record IS NULL OR p_body IS NULL OR p_comment_id IS NULL THEN
        RAISE EXCEPTION 'add_comment needs a tenant, an exception, a text and a comment id; one of them is NULL'
            USING ERRCODE = '22004';
    END IF;
    SELECT c.o_user, c.o_role INTO v_actor, v_role FROM riskdesk.caller(p_tenant) c;
    IF v_role <> 'approver' THEN -- answered at once; nothing is written
        RAISE EXCEPTION '% is a %; only approvers comment on exceptions', v_actor, v_role USING ERRCODE = '42501';
    END IF;
    IF p_comment_id !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
        RAISE EXCEPTION 'the comment id must be a UUID, not "%"', pg_catalog.left(p_comment_id, 64)
            USING ERRCODE = '22023';
    END IF;
    v_id := p_comment_id::uuid;
    IF NOT riskdesk.is_plain_id(p_record) THEN
        RAISE EXCEPTION 'an exception id has 1 to 128 characters and no spaces' USING ERRCODE = '22023';
    END IF;
    IF riskdesk.is_blank(p_body) THEN
        RAISE EXCEPTION 'a comment cannot be blank' USING ERRCODE = '22023';
    END IF;
    v_body := riskdesk.trim_space(p_body);
    IF pg_catalog.length(v_body) > 4000 THEN
        RAISE EXCEPTION 'a comment has at most 4000 characters; this one has %', pg_catalog.length(v_body)
            USING ERRCODE = '22023';
    END IF;

    v_out := riskdesk.claim_request(p_tenant, v_actor, 'comment:' || v_id::text,
                                    pg_catalog.md5(pg_catalog.concat_ws(E'\x1f', p_record, v_body)));
    IF v_out IS NOT NULL THEN
        RETURN v_out;
    END IF;
    PERFORM FROM riskdesk.exceptions e WHERE e.tenant_id = p_tenant AND e.record_id = p_record FOR SHARE;
    IF NOT FOUND THEN
        RETURN riskdesk.finish_request(p_tenant, v_actor, 'comment:' || v_id::text,
            pg_catalog.jsonb_build_object('outcome', 'refused', 'code', 'not_found',
                                          'message', pg_catalog.format('There is no exception %s.', p_record)));
    END IF;
    -- Each "@login" once, in order of first mention, when it names a member of the tenant.
    SELECT coalesce(pg_catalog.array_agg(s.user_id ORDER BY s.first), '{}') INTO v_mentions
      FROM (SELECT u.user_id, pg_catalog.min(x.n) AS first
              FROM pg_catalog.regexp_matches(v_body, '(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+)', 'g')
                   WITH ORDINALITY AS x(g, n)
              CROSS JOIN LATERAL (
                  SELECT m.user_id FROM riskdesk.memberships m
                   WHERE m.tenant_id = p_tenant
                     AND m.user_id IN (x.g[1], pg_catalog.rtrim(x.g[1], '.-'))
                   ORDER BY m.user_id = x.g[1] DESC LIMIT 1) u
             GROUP BY u.user_id) s;
    INSERT INTO riskdesk.comments (tenant_id, comment_id, record_id, author_id, body, mentions, at)
    VALUES (p_tenant, v_id, p_record, v_actor, v_body, v_mentions,
            pg_catalog.date_trunc('milliseconds', pg_catalog.clock_timestamp()));
    IF pg_catalog.pg_notification_queue_usage() < riskdesk.notify_queue_ceiling() THEN
        PERFORM pg_catalog.pg_notify(t.notify_channel, '') FROM riskdesk.tenants t WHERE t.tenant_id = p_tenant;
    END IF;
    RETURN riskdesk.finish_request(p_tenant, v_actor, 'comment:' || v_id::text,
        pg_catalog.jsonb_build_object('outcome', 'applied', 'code', 'added', 'message', '',
                                      'comment', riskdesk.comment_json(p_tenant, v_id)));
END
$$;

REVOKE ALL ON FUNCTION riskdesk.refuse_comment_change(), riskdesk.comment_json(text, uuid),
    riskdesk.add_comment(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION riskdesk.add_comment(text, text, text, text)
    TO riskdesk_applicant, riskdesk_approver, riskdesk_auditor, riskdesk_finance;
