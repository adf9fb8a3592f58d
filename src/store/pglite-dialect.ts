import { parse, protocol, type PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { LRUCache } from "lru-cache";

// statements kept prepared at once; the least recently used is closed beyond that (IN lists of many sizes)
export const MAX_STATEMENTS = 256;
const { serialize } = protocol;
const DESCRIBE_PORTAL = serialize.describe({ type: "P" });
const EXECUTE = serialize.execute({});
const SYNC = serialize.sync();

interface Prepared {
  name: string;
  /** The parameters' type oids, as PostgreSQL inferred them: each value is serialised for its type. */
  types: number[];
}

/**
 * Kysely on PGlite with every statement prepared once. PGlite's own query() enters the engine six
 * times per statement (parse, describe, bind, describe, execute, sync) and plans it every time; a
 * prepared statement runs in one entry, with its plan kept (docs/benchmarks-journal.md, "Session 13"). Values are
 * serialised and rows parsed by PGlite's own serializers and parsers, as query() does.
 */
export class PreparedPgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(new PreparedStatements(this.pglite));
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Parameters<Dialect["createIntrospector"]>[0]) {
    return new PostgresIntrospector(db);
  }
}

class PreparedStatements {
  #count = 0;
  // evicted statements, closed in the next message sent
  #closing: Uint8Array[] = [];
  readonly #prepared = new LRUCache<string, Prepared>({
    max: MAX_STATEMENTS,
    dispose: ({ name }) => this.#closing.push(serialize.close({ type: "S", name })),
  });

  constructor(private readonly pglite: PGlite) {}

  /** Runs one statement under PGlite's query lock, so that no query() of another caller interleaves. */
  async run<R>(sql: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    await this.pglite._checkReady();
    return this.pglite._runExclusiveQuery(async () => {
      const statement = this.#prepared.get(sql) ?? (await this.#prepare(sql));
      const values = parameters.map((value, i) => this.#serialised(value, statement.types[i]));
      const bind = serialize.bind({ statement: statement.name, values });
      const { messages } = await this.pglite.execProtocol(this.#message(bind, DESCRIBE_PORTAL, EXECUTE, SYNC));
      const [result] = parse.parseResults(messages, this.pglite.parsers);
      return { rows: result.rows as R[], ...(result.affectedRows ? { numAffectedRows: BigInt(result.affectedRows) } : {}) };
    });
  }

  // cached only once PostgreSQL accepted it: a statement that fails to parse is sent again next time
  async #prepare(sql: string): Promise<Prepared> {
    const name = `kysely_${++this.#count}`;
    const { messages } = await this.pglite.execProtocol(
      this.#message(serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: "S", name }), SYNC),
    );
    const prepared = { name, types: parse.parseDescribeStatementResults(messages) };
    this.#prepared.set(sql, prepared);
    return prepared;
  }

  // as PGlite's query(): null stays null, a type with a serializer uses it, anything else its text
  #serialised(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.pglite.serializers[type];
    return serializer ? serializer(value) : (value as { toString(): string }).toString();
  }

  #message(...parts: Uint8Array[]): Uint8Array {
    const all = this.#closing.length ? [...this.#closing.splice(0), ...parts] : parts;
    const message = new Uint8Array(all.reduce((size, part) => size + part.length, 0));
    let offset = 0;
    for (const part of all) {
      message.set(part, offset);
      offset += part.length;
    }
    return message;
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly statements: PreparedStatements) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.statements.run<R>(query.sql, query.parameters);
  }
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

// one connection, as PGlite has one session: a transaction holds it until commit or rollback
class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #held = false;
  readonly #waiting: (() => void)[] = [];

  constructor(statements: PreparedStatements) {
    this.#connection = new PgliteConnection(statements);
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    return this.#connection;
  }
  async releaseConnection() {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}`));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }
  // the store closes PGlite itself (store.close)
  async destroy() {}
}
