import type { Kysely } from "kysely";

/**
 * Uploaded files kept in the database (issue 14; docs/decisions/0054): the
 * bytes of an attachment or award file under its stored_name, so every app
 * server sees every file and the database's own backups carry them. Used when
 * FILE_STORAGE is "database" (the default on PostgreSQL); with the disk store
 * (the default on SQLite) the table stays empty. Not audited: the attachment
 * and award_file rows that name these bytes are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("stored_file")
    .addColumn("stored_name", "text", (c) => c.primaryKey())
    .addColumn("bytes", "blob", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("stored_file").execute();
}
