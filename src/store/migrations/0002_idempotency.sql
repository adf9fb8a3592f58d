-- Idempotency keys of the allocate mutations: a retry with the same key replays the stored result.
-- The row is inserted first in the allocation's own transaction, so a concurrent retry waits on it.

CREATE TABLE idempotency_keys (
  account_id    integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  key           text NOT NULL,
  request_hash  text NOT NULL,          -- hex SHA-256 of the mutation and its arguments
  result        jsonb,                  -- the outcome with its __typename; set before the transaction commits
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);

-- expired keys are purged lazily, oldest first
CREATE INDEX idempotency_keys_account_created ON idempotency_keys (account_id, created_at);
