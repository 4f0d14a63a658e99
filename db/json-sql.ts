import { sql, type QueryExecutorProvider } from "kysely";
import { isPostgres } from "./dialect";

/**
 * A text column holding a JSON object, as a table to join in a Kysely
 * `selectFrom` list: one row per key, with its value as a number. Kept in db/
 * because each database spells it differently: SQLite's json_each, and on
 * PostgreSQL jsonb_each_text in a lateral subquery (its values are text there).
 * Used to count ballots' choices ({"<proposal id>": n}) per project in one
 * grouped query.
 */
export function jsonObjectEntries<A extends string>(db: QueryExecutorProvider, column: string, alias: A) {
  if (isPostgres(db)) {
    return sql<{ key: string; value: number }>`lateral (select key, value::bigint as value from jsonb_each_text(${sql.ref(column)}::jsonb))`.as(alias);
  }
  return sql<{ key: string; value: number }>`json_each(${sql.ref(column)})`.as(alias);
}
