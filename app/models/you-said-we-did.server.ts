import type { DB } from "../../db/client";

/** A fund's "You said, we did" entries, newest change first. Public once the fund is. */
export function listYouSaidWeDid(db: DB, fundId: string) {
  return db
    .selectFrom("you_said_we_did")
    .select(["id", "you_said", "we_did", "done_on"])
    .where("fund_id", "=", fundId)
    .orderBy("done_on", "desc")
    .orderBy("created_at", "desc")
    .execute();
}
