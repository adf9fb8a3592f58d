import { sql } from "kysely";

// `= ANY($1)`: one array parameter whatever the batch size, so every batch is one statement of one shape
export function anyOf<T>(values: readonly T[]) {
  return sql<T>`any(${[...values]})`;
}
