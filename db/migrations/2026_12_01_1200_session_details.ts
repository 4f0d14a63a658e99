import type { Kysely } from "kysely";

/**
 * What a session keeps so its owner can recognise it on "Where you are signed
 * in" (/account/sessions): the browser's User-Agent at sign-in, cut to 300
 * characters. Sessions from before this migration have none ("Unknown device").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("session").addColumn("user_agent", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("session").dropColumn("user_agent").execute();
}
