import type { Kysely } from "kysely";

/**
 * A decision that goes against the panel's vote or the adopted allocation
 * keeps the reason it says so, apart from the reason the applicant reads:
 * the minutes and the public results show it beside the flag. Empty for a
 * decision that follows both (and for every decision made before this).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("decision")
    .addColumn("departure_reason", "text", (col) => col.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("decision").dropColumn("departure_reason").execute();
}
