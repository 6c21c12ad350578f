-- A workspace's identity, made once when the file is created. What a desktop remembers about a workspace
-- (the last verified head of its approval log) belongs to this identity, not to a path that a new file
-- can take over.

CREATE TABLE workspace_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

INSERT INTO workspace_meta (key, value) VALUES ('workspace_id', lower(hex(randomblob(16))));
