-- 030. Every file of a request on every desktop (issue 13, server migration 012). exception_attachments (027)
-- listed only the files filed with a request on this desktop, each with its bytes in the cache (a foreign key to
-- attachment_blobs). Now it also lists the files the server names for requests filed elsewhere: such a row
-- arrives before its bytes (they are downloaded after it, hash-checked) and stays when the cache evicts them
-- (they are downloaded again when needed), so the foreign key goes. filed_here tells the two apart: a file filed
-- here has no other copy until it is pushed, and the cache never evicts it (AttachmentCache::evictIn); one
-- pulled from the server is spared only while its exception is pending, like any other attachment.
CREATE TABLE exception_attachments_030 (
    tenant_id  TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 1),
    sha256     TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    filed_here INTEGER NOT NULL DEFAULT 1 CHECK (filed_here IN (0, 1)),
    PRIMARY KEY (tenant_id, record_id, position)
) WITHOUT ROWID;
INSERT INTO exception_attachments_030 (tenant_id, record_id, position, sha256, file_name, mime_type, size_bytes,
                                       filed_here)
SELECT tenant_id, record_id, position, sha256, file_name, mime_type, size_bytes, 1 FROM exception_attachments;
DROP TABLE exception_attachments;
ALTER TABLE exception_attachments_030 RENAME TO exception_attachments;
CREATE INDEX exception_attachments_by_sha ON exception_attachments (sha256);

-- The queue sorted by assignee (issue 13): "Decides next" shows who works on an exception, its assignee, else
-- the approver a two-step approval named; it sorts by the assignee, the unassigned last in either direction,
-- then by that approver. Like every sort of the queue it walks an index and stops at the page's end (never a
-- sort of the whole tenant), so the assignee is kept beside the exception: assigned_to mirrors
-- exception_assignments.assignee_id ('' for nobody), written only by the triggers below. It is this desktop's
-- own derived column: no decision, version, sync or hash reads it. Two indexes, one per direction: ascending
-- walks (unassigned, assignee, approver) forward, descending walks (assigned, assignee, approver) backward, so
-- the unassigned come last both ways.
ALTER TABLE exceptions ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
UPDATE exceptions SET assigned_to = (SELECT a.assignee_id FROM exception_assignments a
                                     WHERE a.tenant_id = exceptions.tenant_id AND a.record_id = exceptions.record_id)
 WHERE EXISTS (SELECT 1 FROM exception_assignments a WHERE a.tenant_id = exceptions.tenant_id
                  AND a.record_id = exceptions.record_id AND a.assignee_id <> '');
CREATE INDEX exceptions_by_assignee_asc ON exceptions (tenant_id, assigned_to = '', assigned_to, current_approver_id);
CREATE INDEX exceptions_by_assignee_desc ON exceptions (tenant_id, assigned_to <> '', assigned_to, current_approver_id);

CREATE TRIGGER exceptions_assigned_insert AFTER INSERT ON exception_assignments
BEGIN
    UPDATE exceptions SET assigned_to = NEW.assignee_id
     WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id AND assigned_to <> NEW.assignee_id;
END;
CREATE TRIGGER exceptions_assigned_update AFTER UPDATE OF tenant_id, record_id, assignee_id ON exception_assignments
BEGIN
    UPDATE exceptions SET assigned_to = ''
     WHERE tenant_id = OLD.tenant_id AND record_id = OLD.record_id
       AND (OLD.tenant_id <> NEW.tenant_id OR OLD.record_id <> NEW.record_id);
    UPDATE exceptions SET assigned_to = NEW.assignee_id
     WHERE tenant_id = NEW.tenant_id AND record_id = NEW.record_id AND assigned_to <> NEW.assignee_id;
END;
CREATE TRIGGER exceptions_assigned_delete AFTER DELETE ON exception_assignments
BEGIN
    UPDATE exceptions SET assigned_to = '' WHERE tenant_id = OLD.tenant_id AND record_id = OLD.record_id;
END;
-- An exception that arrives after its assignment (pulled in another order).
CREATE TRIGGER exceptions_assigned_arrives AFTER INSERT ON exceptions
WHEN EXISTS (SELECT 1 FROM exception_assignments a WHERE a.tenant_id = NEW.tenant_id
                AND a.record_id = NEW.record_id AND a.assignee_id <> '')
BEGIN
    UPDATE exceptions SET assigned_to = (SELECT a.assignee_id FROM exception_assignments a
                                         WHERE a.tenant_id = NEW.tenant_id AND a.record_id = NEW.record_id)
     WHERE rowid = NEW.rowid;
END;
