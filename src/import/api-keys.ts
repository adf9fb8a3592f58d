import type { Kysely } from "kysely";
import { apiKeyHolders } from "../store/dataset-lookups";
import { hashApiKey } from "../store/accounts";
import type { Database } from "../store/database";
import type { DatasetAccount } from "./dataset";
import type { Problem } from "./problem";

/** An API key the file lists under one account while another account holds it. */
export interface ApiKeyMove {
  /** Where the file lists it (the key itself is never shown). */
  path: string;
  from: string;
  to: string;
}

/** The file's API keys that another account than the one listing them holds now. */
export async function apiKeyMoves(db: Kysely<Database>, accounts: DatasetAccount[]): Promise<ApiKeyMove[]> {
  const listed = accounts.flatMap((a, i) =>
    a.apiKeys.map((key, j) => ({ hash: hashApiKey(key), to: a.reference, path: `$.accounts[${i}].apiKeys[${j}]` })),
  );
  if (listed.length === 0) return [];
  const holders = await apiKeyHolders(db, listed.map((l) => l.hash));
  const holderOf = new Map(holders.map((h) => [h.keyHash, h.account]));
  return listed.flatMap(({ hash, to, path }) => {
    const from = holderOf.get(hash);
    return from !== undefined && from !== to ? [{ path, from, to }] : [];
  });
}

export function refusedMove(move: ApiKeyMove): Problem {
  return { path: move.path, message: `is an API key of account "${move.from}"; pass --move-api-keys to move it to "${move.to}"` };
}
