-- 027 (026 belongs to work merged separately). The files an applicant attached to a request (issue 13), in
-- their order. The bytes are in attachment_blobs (020), stored once by SHA-256 however many requests attach
-- them; each file also has an address in attachment_sources (riskdesk-attachment:<sha256>), through which the
-- viewer reads it, and the request's attachment_url names its first one. These exist only on this desktop: the
-- cache never evicts a blob listed here (AttachmentCache::evictIn).
CREATE TABLE exception_attachments (
    tenant_id  TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 1),
    sha256     TEXT NOT NULL REFERENCES attachment_blobs (sha256),
    file_name  TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    PRIMARY KEY (tenant_id, record_id, position)
) WITHOUT ROWID;
CREATE INDEX exception_attachments_by_sha ON exception_attachments (sha256);
