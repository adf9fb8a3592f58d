// A batch's commits, made without waiting for the disk, then put on disk by one commit that waits: a
// commit that waits for the disk waits for all the WAL written before it, this session's commits
// included, and setval writes WAL, so its commit waits (migration 0005). Simple protocol: one round trip.
export const ASYNC_COMMITS = "SET synchronous_commit = off";
export const FLUSH_COMMITS = "RESET synchronous_commit; SELECT setval('commit_flush', 1)";
