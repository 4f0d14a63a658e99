import {
  CreateTableNode,
  DataTypeNode,
  OperationNodeTransformer,
  PostgresAdapter,
  RawNode,
  sql,
  type Kysely,
  type QueryExecutorProvider,
  type TableMetadata,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryBuilder,
  type UnknownRow,
} from "kysely";

/**
 * The database differences between SQLite (the default) and PostgreSQL
 * (DATABASE_URL=postgres://…), one place each (docs/decisions/0051). Nothing
 * here imports db/client.ts, so migrations may use it.
 */
export type Dialect = "sqlite" | "postgres";

/** True for a postgres:// or postgresql:// connection string. */
export function isPostgresUrl(target: string | undefined): target is string {
  return typeof target === "string" && /^postgres(ql)?:\/\//i.test(target);
}

/** Which database a handle (or a transaction on it) talks to. */
export function dialectOf(db: QueryExecutorProvider): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

export const isPostgres = (db: QueryExecutorProvider) => dialectOf(db) === "postgres";

/**
 * Column types. The migrations name SQLite's types; on PostgreSQL `integer`
 * becomes `bigint` (SQLite's integers are 64-bit: pence and counts must not
 * overflow at 2^31), `real` becomes `double precision` and `blob` (uploaded
 * files' bytes) becomes `bytea`. SQLite's
 * `without rowid` table option has no PostgreSQL meaning and is left out.
 * Applied as a Kysely plugin on PostgreSQL handles only.
 */
class PostgresSchemaTransformer extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    const type = String(node.dataType).toLowerCase();
    if (type === "integer") return DataTypeNode.create("bigint");
    if (type === "real") return DataTypeNode.create("double precision");
    if (type === "blob") return DataTypeNode.create("bytea");
    return super.transformDataType(node);
  }

  protected override transformCreateTable(node: CreateTableNode): CreateTableNode {
    const transformed = super.transformCreateTable(node);
    const endModifiers = transformed.endModifiers?.filter(
      (m: OperationNode) => !(RawNode.is(m) && m.sqlFragments.join("").trim().toLowerCase() === "without rowid"),
    );
    return { ...transformed, endModifiers: endModifiers?.length ? endModifiers : undefined };
  }
}

export class PostgresSchemaPlugin implements KyselyPlugin {
  readonly #transformer = new PostgresSchemaTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * An append-only rule on PostgreSQL: a row trigger that refuses the change with
 * `message`, as SQLite's `select raise(abort, …)` triggers in the migrations do.
 */
export async function createRefusingTriggerOnPostgres(db: QueryExecutorProvider, name: string, table: string, event: "update" | "delete", message: string) {
  const fn = `${name}_fn`;
  await sql`create or replace function ${sql.id(fn)}() returns trigger language plpgsql as ${sql.lit(`begin raise exception '${message.replace(/'/g, "''")}'; end`)}`.execute(
    db,
  );
  await sql`create trigger ${sql.id(name)} before ${sql.raw(event)} on ${sql.id(table)} for each row execute function ${sql.id(fn)}()`.execute(db);
}

/** Drops a trigger made by createRefusingTriggerOnPostgres (PostgreSQL names the table; the function stays for re-creation). */
export async function dropTriggerOnPostgres(db: QueryExecutorProvider, name: string, table: string) {
  await sql`drop trigger if exists ${sql.id(name)} on ${sql.id(table)}`.execute(db);
}

/**
 * A transaction-scoped lock, released at commit or rollback. On PostgreSQL a
 * pg_advisory_xact_lock on a fixed key and a hash of the schema's name, so two
 * portals in two schemas of one database (a host of several councils, or test
 * files running side by side) never wait for each other; on SQLite nothing, because every write
 * transaction starts with BEGIN IMMEDIATE and so already holds the one write lock.
 * Call it only inside a transaction.
 */
export async function lockForTransaction(trx: QueryExecutorProvider, key: AdvisoryLock): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`select pg_advisory_xact_lock(${key}::int, hashtext(coalesce(current_schema(), '')))`.execute(trx);
}

/** The advisory lock keys, one per thing serialised (any fixed 32-bit numbers, distinct; the schema's hash is the second key). */
export const ADVISORY_LOCKS = {
  /** Every write transaction (inTransaction): SQLite's one writer at a time. */
  write: 1_401_001,
  /** The audit chain head: one append at a time, so ids and prev_hash run on without a gap. */
  auditChain: 1_401_002,
} as const;
export type AdvisoryLock = (typeof ADVISORY_LOCKS)[keyof typeof ADVISORY_LOCKS];

/**
 * The scheduled jobs' leader (db/leader.ts): a session-level lock on the two
 * 32-bit keys (this number, a hash of the schema's name), so two portals in
 * two schemas of one database each have a leader. The two-key form never
 * conflicts with the one-key locks above.
 */
export const JOB_LEADER_LOCK = 1_401_003;

/**
 * Rows taken from a queue by one server (the email outbox, docs/decisions/0052).
 * On PostgreSQL `for update skip locked`: the rows are locked until the
 * transaction ends, and another server's same query passes over them and
 * takes the next ones instead of waiting. SQLite has no row locks and needs
 * none: the transaction (inQueueTransaction) holds the one write lock from
 * its first statement, so nobody else reads the queue between the select and
 * the claim. Use inside inQueueTransaction.
 */
export function skippingLockedRows<DB, TB extends keyof DB, O>(db: QueryExecutorProvider, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? query.forUpdate().skipLocked() : query;
}

/**
 * A write refused by a UNIQUE constraint or primary key: SQLite's extended
 * codes, PostgreSQL's SQLSTATE 23505. Services turn it into a plain 400
 * ("You have already voted…") where the constraint is the rule.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505");
}

/**
 * The tables of the portal's own database, with their columns. Kysely's
 * introspection lists every schema of a PostgreSQL database; the portal's
 * tables are those in the connection's current schema (its search_path).
 */
export async function portalTables<T>(db: Kysely<T>): Promise<TableMetadata[]> {
  const tables = await db.introspection.getTables();
  if (!isPostgres(db)) return tables;
  const current = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  return tables.filter((table) => table.schema === current);
}

/**
 * `like` that ignores case on both databases: SQLite's like already ignores
 * ASCII case, PostgreSQL's does not (its ilike does). For searches that must
 * not miss a differently capitalised mention, such as an erasure's.
 */
export function likeIgnoringCase(db: QueryExecutorProvider): "like" | "ilike" {
  return isPostgres(db) ? "ilike" : "like";
}
