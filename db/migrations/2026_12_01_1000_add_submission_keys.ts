import { sql, type Kysely } from "kysely";

/**
 * One-time submission keys, and one payment per reference on an award.
 *
 * `submission` remembers each form a signed-in person sent with its key (a
 * random value put on every page), so a double click, a replay or parallel
 * copies of one form have one effect: the claim is written in the same
 * transaction as the change, and a repeat reads the first result instead.
 * No foreign key to `user`: the rows are short-lived bookkeeping, purged by
 * age, and must not stand in the way of erasing a person.
 *
 * A payment's reference is unique on its award while the payment stands
 * (a rejected payment lets its reference be used again). Existing duplicates
 * would stop the index being built, so later copies get the payment id
 * appended to their reference first; nothing else about them changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("submission")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("submission_key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("result", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("submission_pk", ["user_id", "submission_key"])
    .execute();
  await db.schema.createIndex("submission_created_idx").on("submission").column("created_at").execute();

  await sql`
    update payment set reference = reference || ' (' || id || ')'
    where reference <> '' and status <> 'rejected' and exists (
      select 1 from payment earlier
      where earlier.award_id = payment.award_id and earlier.reference = payment.reference and earlier.status <> 'rejected'
        and (earlier.recorded_at < payment.recorded_at or (earlier.recorded_at = payment.recorded_at and earlier.id < payment.id))
    )`.execute(db);
  await db.schema
    .createIndex("payment_award_reference_uq")
    .on("payment")
    .columns(["award_id", "reference"])
    .unique()
    .where("reference", "<>", "")
    .where(sql.ref("status"), "<>", "rejected")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("payment_award_reference_uq").execute();
  await db.schema.dropIndex("submission_created_idx").execute();
  await db.schema.dropTable("submission").execute();
}
