import type { Kysely } from "kysely";

/**
 * One rules model (docs/decisions/0043): a ballot's counting rule and tie rule
 * are stored with the ids of app/domain/ballot-rules.ts. Counting rules
 * "exact_optimum" and "equal_shares" become "optimum" and "equal-shares";
 * the tie rule, until now written in the administrator's own words (which
 * the count never applied), becomes the one rule the count applies.
 *
 * Only the settings change. A ballot already opened keeps its frozen
 * rules_json and rules_hash exactly as they were: frozen rules are never
 * rewritten (such a ballot, frozen in the older shape, cannot be counted; see
 * the decision record).
 */
const RENAMES: [string, string][] = [
  ["exact_optimum", "optimum"],
  ["equal_shares", "equal-shares"],
];
const TIE_RULE = "cheaper-then-more-votes-then-reference";

export async function up(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMES) {
    await db.updateTable("community_ballot").set({ counting_rule: to }).where("counting_rule", "=", from).execute();
  }
  await db.updateTable("community_ballot").set({ tie_rule: TIE_RULE }).where("tie_rule", "!=", TIE_RULE).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMES) {
    await db.updateTable("community_ballot").set({ counting_rule: from }).where("counting_rule", "=", to).execute();
  }
}
