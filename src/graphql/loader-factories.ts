import DataLoader from "dataloader";
import { isPlausibleReference } from "../store/references";

/** One row per key: a batch is one query, results come back in key order, null when absent. */
export function rowLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((value) => [keyOf(value), value]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Many rows per key, in the order the query returns them. */
export function groupLoader<K extends string | number, R, V>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  valueOf: (row: R) => V,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>(keys.map((key) => [key, []]));
    for (const row of await fetch(keys)) byKey.get(keyOf(row))?.push(valueOf(row));
    return keys.map((key) => byKey.get(key) ?? []);
  });
}

/** By reference: a reference that no record can have is null without asking the database. */
export function referenceLoader<V extends { reference: string }>(
  fetch: (references: readonly string[]) => Promise<V[]>,
): DataLoader<string, V | null> {
  return rowLoader<string, V>(async (references) => {
    const plausible = references.filter(isPlausibleReference);
    return plausible.length ? fetch(plausible) : [];
  }, (value) => value.reference);
}
