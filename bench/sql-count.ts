// Counts the statements a server runs, by shape (verb and tables), from StoreOptions.onQuery.

/** "select shipments", "select carrier_services+carriers", "update shipments", "select allocate_shipment()", … */
export function statementShape(sql: string): string {
  const text = sql.trim().toLowerCase();
  const verb = text.split(/\s+/, 1)[0];
  // a table is quoted; a function (the allocation's, migration 0004) is not, and is shown with ()
  const target = /(?:\bfrom|\binto|^update)\s+(?:"(\w+)"|(\w+)\()/.exec(text);
  const main = target?.[1] ?? (target?.[2] ? `${target[2]}()` : "?");
  const joined = [...text.matchAll(/\bjoin\s+"(\w+)"/g)].map((m) => m[1]);
  return [verb, [main, ...joined].join("+")].join(" ");
}

export class StatementCounter {
  private counts = new Map<string, number>();

  // cheap on the server's hot path: the statement's head is counted, its shape worked out in take()
  readonly onQuery = (sql: string): void => {
    const head = sql.slice(0, 160);
    this.counts.set(head, (this.counts.get(head) ?? 0) + 1);
  };

  /** The counts by shape since the last take, then starts again from zero. */
  take(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [head, count] of this.counts) {
      const shape = statementShape(head);
      result[shape] = (result[shape] ?? 0) + count;
    }
    this.counts = new Map();
    return result;
  }
}
