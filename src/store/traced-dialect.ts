import { SpanKind, type Attributes, type Tracer } from "@opentelemetry/api";
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from "@opentelemetry/semantic-conventions";
import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  MergeQueryNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type OperationNode,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { activeTracer, failed } from "../observability/tracing";

/**
 * The dialect with a client span around every statement run within a traced request (both engines,
 * transaction control included): db.system.name, the statement's text (placeholders, never the
 * parameters' values), its operation and table. Outside one, a statement costs one context read more.
 */
export function tracedDialect(dialect: Dialect, databaseUrl?: string): Dialect {
  const base = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL, ...(databaseUrl ? serverAttributes(databaseUrl) : {}) };
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TracedDriver(dialect.createDriver(), base),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

// which server and database a PostgreSQL statement ran on; PGlite has neither
function serverAttributes(databaseUrl: string): Attributes {
  try {
    const url = new URL(databaseUrl);
    return { [ATTR_DB_NAMESPACE]: url.pathname.slice(1) || "postgres", [ATTR_SERVER_ADDRESS]: url.hostname, [ATTR_SERVER_PORT]: Number(url.port || 5432) };
  } catch {
    return {};
  }
}

interface Statement {
  operation: string;
  text: string;
  table?: string;
}

class TracedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly attributes: Attributes,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const tracer = activeTracer();
    return tracer ? inClientSpan(tracer, this.attributes, describe(query), () => this.inner.executeQuery<R>(query)) : this.inner.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

// the drivers run transaction control on the connection they handed out: they get theirs back, in a span
class TracedDriver implements Driver {
  private readonly connections = new WeakMap<DatabaseConnection, TracedConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly attributes: Attributes,
  ) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.driver.acquireConnection();
    let connection = this.connections.get(inner);
    if (!connection) this.connections.set(inner, (connection = new TracedConnection(inner, this.attributes)));
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.control("BEGIN", () => this.driver.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.control("COMMIT", () => this.driver.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.control("ROLLBACK", () => this.driver.rollbackTransaction(innerOf(connection)));
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    const driver = supporting(this.driver, "savepoint");
    return this.control("SAVEPOINT", () => driver.savepoint(innerOf(connection), name, compile));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    const driver = supporting(this.driver, "rollbackToSavepoint");
    return this.control("ROLLBACK TO SAVEPOINT", () => driver.rollbackToSavepoint(innerOf(connection), name, compile));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    const driver = supporting(this.driver, "releaseSavepoint");
    return this.control("RELEASE SAVEPOINT", () => driver.releaseSavepoint(innerOf(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }

  private control(operation: string, run: () => Promise<void>): Promise<void> {
    const tracer = activeTracer();
    return tracer ? inClientSpan(tracer, this.attributes, { operation, text: operation }, run) : run();
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TracedConnection ? connection.inner : connection;
}

// Kysely's own message when a driver has no savepoints
function supporting<K extends "savepoint" | "rollbackToSavepoint" | "releaseSavepoint">(driver: Driver, method: K): Driver & Required<Pick<Driver, K>> {
  if (!driver[method]) throw new Error(`The \`${method}\` method is not supported by this driver`);
  return driver as Driver & Required<Pick<Driver, K>>;
}

async function inClientSpan<T>(tracer: Tracer, base: Attributes, statement: Statement, run: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(statement.table ? `${statement.operation} ${statement.table}` : statement.operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      ...base,
      [ATTR_DB_OPERATION_NAME]: statement.operation,
      [ATTR_DB_QUERY_TEXT]: statement.text,
      ...(statement.table ? { [ATTR_DB_COLLECTION_NAME]: statement.table } : {}),
    },
  });
  try {
    return await run();
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

// Kysely's own query tree when it built the statement; the first keyword of a raw one
function describe({ query, sql }: CompiledQuery): Statement {
  if (SelectQueryNode.is(query)) return { operation: "SELECT", text: sql, table: tableOf(query.from?.froms[0]) };
  if (InsertQueryNode.is(query)) return { operation: "INSERT", text: sql, table: tableOf(query.into) };
  if (UpdateQueryNode.is(query)) return { operation: "UPDATE", text: sql, table: tableOf(query.table) };
  if (DeleteQueryNode.is(query)) return { operation: "DELETE", text: sql, table: tableOf(query.from.froms[0]) };
  if (MergeQueryNode.is(query)) return { operation: "MERGE", text: sql, table: tableOf(query.into) };
  return { ...rawStatement(sql), text: sql };
}

// a raw statement's verb and table as Kysely's tree would give them: the statement after its WITH clauses
function rawStatement(sql: string): { operation: string; table?: string } {
  const tokens = sql.match(/[()]|"[^"]*"|\w+/g) ?? [];
  let depth = 0;
  let operation: string | undefined;
  for (const [i, token] of tokens.entries()) {
    if (token === "(" || token === ")") depth += token === "(" ? 1 : -1;
    else if (depth > 0) continue;
    else if (!operation && /^(select|insert|update|delete|merge)$/i.test(token)) operation = token.toUpperCase();
    // the table: after INSERT INTO, MERGE INTO, UPDATE, DELETE FROM, or a SELECT's FROM
    else if (operation && (operation === "SELECT" ? /^from$/i.test(tokens[i - 1]) : !/^(into|from|only)$/i.test(token)))
      return { operation, table: token.replace(/"/g, "") };
  }
  return { operation: operation ?? /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "SQL" };
}

function tableOf(node: OperationNode | undefined): string | undefined {
  const table = node && AliasNode.is(node) ? node.node : node;
  return table && TableNode.is(table) ? table.table.identifier.name : undefined;
}
