import { sql } from "kysely";

/**
 * SQLite's json_each over a column holding a JSON object, as a table to join
 * in a Kysely `selectFrom` list: one row per key, with its value. Kept in db/
 * because it is SQLite's own SQL (the app builds every other query with
 * Kysely's builder). Used to count ballots' choices ({"<proposal id>": n})
 * per project in one grouped query.
 */
export function jsonObjectEntries<A extends string>(column: string, alias: A) {
  return sql<{ key: string; value: number }>`json_each(${sql.ref(column)})`.as(alias);
}
