-- Board sync (boards/SPEC.md §7.3, §7.5): one row per partition of the board data a desktop mirrors, kept by the
-- loader (riskdesk board load --url). A partition is one dataset of one site, and for the daily datasets one
-- business day of it (biz_date NULL: the whole site's snapshot). etl_version is the load that last wrote the
-- partition; row_count and checksum describe its rows in the canonical form of BoardPartitionChecksum (SHA-256,
-- lowercase hex), so a desktop can prove that what it wrote is what the server holds. Under the same site
-- row-level security as the data it describes: a login lists only its sites' partitions.

CREATE TABLE riskdesk_board.partitions (
    tenant_id   text NOT NULL REFERENCES riskdesk.tenants,
    site_id     text NOT NULL CHECK (site_id <> ''),
    dataset     text NOT NULL CHECK (dataset ~ '^[a-z][a-z0-9_]{0,62}$'),
    biz_date    date,
    etl_version bigint NOT NULL CHECK (etl_version > 0),
    row_count   bigint NOT NULL CHECK (row_count >= 0),
    checksum    text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    -- One row per partition; the whole-site row (biz_date NULL) is unique too.
    UNIQUE NULLS NOT DISTINCT (tenant_id, site_id, dataset, biz_date)
);
-- "What changed since version v" for a site.
CREATE INDEX ON riskdesk_board.partitions (tenant_id, site_id, etl_version);

ALTER TABLE riskdesk_board.partitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE riskdesk_board.partitions FORCE ROW LEVEL SECURITY;
-- The membership rule of 004 (the optional riskdesk.site_id setting only narrows).
CREATE POLICY site_scope ON riskdesk_board.partitions
    USING ((EXISTS (SELECT 1 FROM riskdesk.site_memberships m
                     WHERE m.login_role = session_user
                       AND m.tenant_id = partitions.tenant_id AND m.site_id = partitions.site_id)
            OR pg_catalog.pg_has_role(session_user, 'riskdesk_admin', 'MEMBER'))
           AND partitions.site_id = COALESCE(NULLIF(pg_catalog.current_setting('riskdesk.site_id', true), ''),
                                             partitions.site_id));

REVOKE ALL ON riskdesk_board.partitions FROM PUBLIC;
GRANT SELECT ON riskdesk_board.partitions TO riskdesk_finance;
