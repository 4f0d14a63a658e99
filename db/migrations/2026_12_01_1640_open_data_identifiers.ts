import type { Kysely } from "kysely";

/**
 * Open data that passes 360Giving's data-quality checks: a decision group may
 * name the ONS code of its area (a ward, E05…, or a local authority, E06…),
 * which the 360Giving files publish as the beneficiary location's geoCode.
 * Optional: a community of interest has no area code.
 *
 * Frozen in time: imports nothing from app/.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("decision_group").addColumn("area_code", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("decision_group").dropColumn("area_code").execute();
}
