import { sql, type QueryExecutorProvider } from "kysely";
import { isPostgres } from "./dialect";

/**
 * The shape of a migrated database, read from the database itself and written
 * the same way for SQLite and PostgreSQL, so the two can be compared
 * (tests/integration/schema-parity.test.ts). Types are normalised to the
 * migrations' names (bigint → integer, double precision → real: the mapping in
 * db/dialect.ts); defaults lose PostgreSQL's casts; primary-key columns count
 * as NOT NULL (PostgreSQL enforces it, SQLite reports 0 for them but the
 * portal never writes a null key). Kysely's own migration tables are left out.
 * Not compared: CHECK constraints and partial-index conditions, whose text
 * each database rewrites in its own way (only whether an index is partial is).
 */
export interface SchemaShape {
  tables: Record<string, TableShape>;
}

export interface TableShape {
  columns: Record<string, { type: string; notNull: boolean; default: string | null }>;
  primaryKey: string[];
  /** Unique constraints declared on the table (not unique indexes), as "a,b". */
  uniques: string[];
  /** Named indexes: columns in order, unique, partial. */
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  /** "a,b -> table(c,d) on delete x". */
  foreignKeys: string[];
  triggers: string[];
}

const TYPE_NAMES: Record<string, string> = {
  integer: "integer",
  bigint: "integer",
  text: "text",
  real: "real",
  "double precision": "real",
  blob: "blob",
  bytea: "blob",
};

const normaliseType = (type: string) => TYPE_NAMES[type.toLowerCase()] ?? type.toLowerCase();

/** '0', 'online'::text and ('[]'::text) all read as the literal they default to. */
function normaliseDefault(value: string | null): string | null {
  if (value === null) return null;
  let v = value.trim();
  while (v.startsWith("(") && v.endsWith(")")) v = v.slice(1, -1).trim();
  v = v.replace(/::[a-z ]+$/i, "");
  return v;
}

const normaliseAction = (action: string) => action.toLowerCase().replace(/_/g, " ");

export async function readSchemaShape(db: QueryExecutorProvider): Promise<SchemaShape> {
  return isPostgres(db) ? readPostgres(db) : readSqlite(db);
}

async function rows<T>(db: QueryExecutorProvider, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

async function readSqlite(db: QueryExecutorProvider): Promise<SchemaShape> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`,
  );
  const shape: SchemaShape = { tables: {} };
  for (const { name } of tables) {
    const columns = await rows<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(
      db,
      sql`select name, type, "notnull", dflt_value, pk from pragma_table_info(${name})`,
    );
    const table: TableShape = { columns: {}, primaryKey: [], uniques: [], indexes: {}, foreignKeys: [], triggers: [] };
    for (const c of columns) {
      table.columns[c.name] = { type: normaliseType(c.type), notNull: c.notnull === 1 || c.pk > 0, default: normaliseDefault(c.dflt_value) };
    }
    table.primaryKey = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes = await rows<{ name: string; unique: number; origin: string; partial: number }>(
      db,
      sql`select name, "unique", origin, partial from pragma_index_list(${name})`,
    );
    for (const index of indexes) {
      if (index.origin === "pk") continue;
      const indexColumns = (await rows<{ name: string; seqno: number }>(db, sql`select name, seqno from pragma_index_info(${index.name}) order by seqno`)).map(
        (c) => c.name,
      );
      if (index.origin === "u") table.uniques.push(indexColumns.join(","));
      else table.indexes[index.name] = { columns: indexColumns, unique: index.unique === 1, partial: index.partial === 1 };
    }
    table.uniques.sort();
    const keys = await rows<{ id: number; seq: number; table: string; from: string; to: string | null; on_delete: string }>(
      db,
      sql`select id, seq, "table", "from", "to", on_delete from pragma_foreign_key_list(${name}) order by id, seq`,
    );
    const byId = new Map<number, typeof keys>();
    for (const k of keys) byId.set(k.id, [...(byId.get(k.id) ?? []), k]);
    table.foreignKeys = [...byId.values()]
      .map(
        (parts) =>
          `${parts.map((p) => p.from).join(",")} -> ${parts[0]!.table}(${parts.map((p) => p.to ?? "id").join(",")}) on delete ${normaliseAction(parts[0]!.on_delete)}`,
      )
      .sort();
    table.triggers = (await rows<{ name: string }>(db, sql`select name from sqlite_master where type = 'trigger' and tbl_name = ${name} order by name`)).map(
      (t) => t.name,
    );
    shape.tables[name] = table;
  }
  return shape;
}

const PG_ACTIONS: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

async function readPostgres(db: QueryExecutorProvider): Promise<SchemaShape> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by table_name`,
  );
  const shape: SchemaShape = { tables: {} };
  for (const { name } of tables) {
    const table: TableShape = { columns: {}, primaryKey: [], uniques: [], indexes: {}, foreignKeys: [], triggers: [] };
    const columns = await rows<{ name: string; type: string; nullable: string; default: string | null }>(
      db,
      sql`select column_name as name, data_type as type, is_nullable as nullable, column_default as "default"
          from information_schema.columns where table_schema = current_schema() and table_name = ${name} order by ordinal_position`,
    );
    for (const c of columns) table.columns[c.name] = { type: normaliseType(c.type), notNull: c.nullable === "NO", default: normaliseDefault(c.default) };

    const constraints = await rows<{
      name: string;
      type: string;
      columns: string[];
      ref_table: string | null;
      ref_columns: string[] | null;
      on_delete: string;
    }>(
      db,
      sql`select con.conname as name, con.contype as type,
            array(select a.attname from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i)::text[] as columns,
            ref.relname as ref_table,
            array(select a.attname from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i)::text[] as ref_columns,
            con.confdeltype as on_delete
          from pg_constraint con
          join pg_class rel on rel.oid = con.conrelid
          join pg_namespace ns on ns.oid = rel.relnamespace
          left join pg_class ref on ref.oid = con.confrelid
          where ns.nspname = current_schema() and rel.relname = ${name} and con.contype in ('p', 'u', 'f')`,
    );
    for (const c of constraints) {
      if (c.type === "p") table.primaryKey = c.columns;
      else if (c.type === "u") table.uniques.push(c.columns.join(","));
      else
        table.foreignKeys.push(
          `${c.columns.join(",")} -> ${c.ref_table}(${(c.ref_columns ?? []).join(",")}) on delete ${PG_ACTIONS[c.on_delete] ?? c.on_delete}`,
        );
    }
    table.uniques.sort();
    table.foreignKeys.sort();

    const indexes = await rows<{ name: string; unique: boolean; partial: boolean; columns: string[] }>(
      db,
      sql`select ic.relname as name, ix.indisunique as "unique", ix.indpred is not null as partial,
            array(select a.attname from unnest(ix.indkey::int2[]) with ordinality k(n, i) join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.n order by k.i)::text[] as columns
          from pg_index ix
          join pg_class ic on ic.oid = ix.indexrelid
          join pg_class rel on rel.oid = ix.indrelid
          join pg_namespace ns on ns.oid = rel.relnamespace
          where ns.nspname = current_schema() and rel.relname = ${name}
            and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid and con.contype in ('p', 'u'))`,
    );
    for (const index of indexes) table.indexes[index.name] = { columns: index.columns, unique: index.unique, partial: index.partial };

    table.triggers = (
      await rows<{ name: string }>(
        db,
        sql`select t.tgname as name from pg_trigger t join pg_class rel on rel.oid = t.tgrelid join pg_namespace ns on ns.oid = rel.relnamespace
            where ns.nspname = current_schema() and rel.relname = ${name} and not t.tgisinternal order by t.tgname`,
      )
    ).map((t) => t.name);
    shape.tables[name] = table;
  }
  return shape;
}

/** Every difference between two shapes, in plain words; empty when they match. */
export function compareSchemaShapes(a: SchemaShape, b: SchemaShape, names: [string, string] = ["SQLite", "PostgreSQL"]): string[] {
  const out: string[] = [];
  const [an, bn] = names;
  const keys = (x: object, y: object) => [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  for (const t of keys(a.tables, b.tables)) {
    const ta = a.tables[t];
    const tb = b.tables[t];
    if (!ta || !tb) {
      out.push(`table ${t}: only in ${ta ? an : bn}`);
      continue;
    }
    for (const c of keys(ta.columns, tb.columns)) {
      const ca = ta.columns[c];
      const cb = tb.columns[c];
      if (!ca || !cb) out.push(`column ${t}.${c}: only in ${ca ? an : bn}`);
      else if (JSON.stringify(ca) !== JSON.stringify(cb)) out.push(`column ${t}.${c}: ${an} ${JSON.stringify(ca)}, ${bn} ${JSON.stringify(cb)}`);
    }
    for (const field of ["primaryKey", "uniques", "foreignKeys", "triggers"] as const) {
      if (JSON.stringify(ta[field]) !== JSON.stringify(tb[field]))
        out.push(`${field} of ${t}: ${an} ${JSON.stringify(ta[field])}, ${bn} ${JSON.stringify(tb[field])}`);
    }
    for (const i of keys(ta.indexes, tb.indexes)) {
      const ia = ta.indexes[i];
      const ib = tb.indexes[i];
      if (!ia || !ib) out.push(`index ${i} on ${t}: only in ${ia ? an : bn}`);
      else if (JSON.stringify(ia) !== JSON.stringify(ib)) out.push(`index ${i} on ${t}: ${an} ${JSON.stringify(ia)}, ${bn} ${JSON.stringify(ib)}`);
    }
  }
  return out;
}
