import type { DB } from "../../db/client";
import type { FundPublication } from "~/domain/public-links";

/** For each fund, what it has made public (results, minutes, open data, "You said, we did"), in four queries. */
export async function getFundPublications(db: DB, fundIds: readonly string[]): Promise<Map<string, FundPublication>> {
  const result = new Map<string, FundPublication>();
  if (fundIds.length === 0) return result;
  const ids = [...fundIds];
  const [funds, awards, meetings, entries] = await Promise.all([
    db.selectFrom("fund").select(["id", "results_published_at"]).where("id", "in", ids).execute(),
    db
      .selectFrom("award")
      .innerJoin("decision_group", "decision_group.id", "award.decision_group_id")
      .select((eb) => ["decision_group.fund_id", eb.fn.countAll<number>().as("n")])
      .where("decision_group.fund_id", "in", ids)
      .where("award.status", "in", ["accepted", "closed"])
      .groupBy("decision_group.fund_id")
      .execute(),
    db
      .selectFrom("meeting")
      .innerJoin("decision_group", "decision_group.id", "meeting.decision_group_id")
      .select(["decision_group.fund_id", "decision_group.id", "decision_group.name"])
      .where("decision_group.fund_id", "in", ids)
      .where("meeting.status", "=", "closed")
      // The results page lists groups by name, so the first group with minutes is the first one shown.
      .orderBy("decision_group.name")
      .orderBy("decision_group.id")
      .execute(),
    db
      .selectFrom("you_said_we_did")
      .select((eb) => ["fund_id", eb.fn.countAll<number>().as("n")])
      .where("fund_id", "in", ids)
      .groupBy("fund_id")
      .execute(),
  ]);
  for (const f of funds) {
    result.set(f.id, {
      resultsPublished: Boolean(f.results_published_at),
      openDataAwards: Number(awards.find((a) => a.fund_id === f.id)?.n ?? 0),
      minutesGroupId: meetings.find((m) => m.fund_id === f.id)?.id ?? null,
      youSaidWeDid: Number(entries.find((e) => e.fund_id === f.id)?.n ?? 0),
    });
  }
  return result;
}
