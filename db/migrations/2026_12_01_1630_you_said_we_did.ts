import type { Kysely } from "kysely";

/**
 * "You said, we did": what a fund's administrators changed because of what
 * participants told them. Public once written; each entry says what people
 * said, what was done, and when. Kept, never deleted (the audit trail holds
 * every change).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("you_said_we_did")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("fund_id", "text", (c) => c.notNull().references("fund.id"))
    .addColumn("you_said", "text", (c) => c.notNull())
    .addColumn("we_did", "text", (c) => c.notNull())
    // The day the change was made (YYYY-MM-DD), as the administrator gives it.
    .addColumn("done_on", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("you_said_we_did_fund").on("you_said_we_did").columns(["fund_id", "done_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("you_said_we_did_fund").execute();
  await db.schema.dropTable("you_said_we_did").execute();
}
