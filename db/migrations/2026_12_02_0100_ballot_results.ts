import { sql, type Kysely } from "kysely";
import { createRefusingTriggerOnPostgres, dropTriggerOnPostgres, isPostgres } from "../dialect";

/**
 * The count of a community ballot (issue 12, docs/decisions/0043): one row
 * per ballot, written once after the close and never changed. It holds the
 * result of every counting rule as canonical JSON (app/domain/ballot-result.ts)
 * and the anonymised counted ballots it was counted from (sorted, no voter
 * ids), with the SHA-256 of each; the audit event records the hashes. The
 * triggers make the row append-only, as the audit trail is.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ballot_result")
    .addColumn("ballot_id", "text", (c) => c.primaryKey().references("community_ballot.id"))
    .addColumn("rules_hash", "text", (c) => c.notNull())
    .addColumn("result_json", "text", (c) => c.notNull())
    .addColumn("result_hash", "text", (c) => c.notNull())
    .addColumn("ballots_json", "text", (c) => c.notNull())
    .addColumn("ballots_hash", "text", (c) => c.notNull())
    .addColumn("ballot_count", "integer", (c) => c.notNull())
    .addColumn("counted_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("counted_at", "text", (c) => c.notNull())
    .execute();
  if (isPostgres(db)) {
    await createRefusingTriggerOnPostgres(db, "ballot_result_no_update", "ballot_result", "update", "a ballot result is never changed");
    await createRefusingTriggerOnPostgres(db, "ballot_result_no_delete", "ballot_result", "delete", "a ballot result is never deleted");
    return;
  }
  await sql`create trigger ballot_result_no_update before update on ballot_result
    begin select raise(abort, 'a ballot result is never changed'); end`.execute(db);
  await sql`create trigger ballot_result_no_delete before delete on ballot_result
    begin select raise(abort, 'a ballot result is never deleted'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await dropTriggerOnPostgres(db, "ballot_result_no_delete", "ballot_result");
    await dropTriggerOnPostgres(db, "ballot_result_no_update", "ballot_result");
  } else {
    await sql`drop trigger if exists ballot_result_no_delete`.execute(db);
    await sql`drop trigger if exists ballot_result_no_update`.execute(db);
  }
  await db.schema.dropTable("ballot_result").execute();
}
