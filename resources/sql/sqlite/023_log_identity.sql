-- 023 (numbers 021 and 022 belong to other branches merged separately).
-- How the person behind each entry of this desktop's log was known: 'asserted on this desktop' (picked from
-- the list with no backend to check it), 'backend login' (signed in to the backend, password checked), or ''
-- for entries written before this column existed and for time-driven ones. ApprovalLogEntry hashes the mark
-- with the rest of the entry whenever it is not empty, so old entries keep their hashes and a mark removed
-- from a new entry breaks the chain. Adding a column fires no UPDATE trigger: the log stays append-only.
ALTER TABLE approval_log ADD COLUMN identity TEXT NOT NULL DEFAULT ''
    CHECK (identity IN ('', 'asserted on this desktop', 'backend login'));
