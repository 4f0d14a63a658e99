import type { DB } from "../../db/client";
import { DomainError } from "~/domain/errors";
import type { YouSaidWeDid } from "~/domain/forms/you-said-we-did";
import { can, type Actor } from "~/domain/permissions";
import type { Submission } from "~/domain/submissions";
import { appendAuditEvent } from "~/models/audit.server";
import { newId, nowIso } from "~/utils/ids.server";
import { inTransactionOnce } from "./submissions.server";

/** An administrator records what the fund changed because of participants' feedback; it shows on the fund's public page. */
export async function addYouSaidWeDid(db: DB, actor: Actor, fundId: string, input: YouSaidWeDid, submission?: Submission | null): Promise<string> {
  if (!can(actor, "fund.manage")) throw new DomainError("Only a fund administrator can record what changed.");
  return inTransactionOnce(db, actor.id, submission, async (trx) => {
    const fund = await trx.selectFrom("fund").select("id").where("id", "=", fundId).executeTakeFirst();
    if (!fund) throw new DomainError("That fund does not exist.");
    const row = {
      id: newId(),
      fund_id: fund.id,
      you_said: input.youSaid,
      we_did: input.weDid,
      done_on: input.doneOn,
      created_by: actor.id,
      created_at: nowIso(),
    };
    await trx.insertInto("you_said_we_did").values(row).execute();
    await appendAuditEvent(trx, {
      actor: actor.id,
      action: "fund.you_said_we_did_added",
      entityType: "you_said_we_did",
      entityId: row.id,
      after: { fund_id: row.fund_id, you_said: row.you_said, we_did: row.we_did, done_on: row.done_on },
    });
    return row.id;
  });
}
