-- Written to, never read: Store.pipelined ends with `SELECT setval('commit_flush', 1)` under
-- synchronous_commit on. setval writes WAL, so that statement's commit waits until the disk holds
-- every commit the session made before it without waiting (a batch's items).
CREATE SEQUENCE commit_flush;
