import type { Action } from "~/domain/permissions";
import { getBallotForFund } from "~/models/community-ballot.server";
import { getFund } from "~/models/fund.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";
import { requirePermission } from "./guards.server";

/**
 * For the paper ballot and participation pages: someone allowed to do this
 * (paper_ballot.key unless said; 403 for anyone else), and a fund whose vote
 * has opened (404 otherwise: before opening there is no ballot to key).
 */
export async function requireOpenedBallotWork(request: Request, fundId: string | undefined, action: Action = "paper_ballot.key") {
  const user = await requirePermission(request, action);
  const db = getDb();
  const fund = await getFund(db, fundId ?? "");
  if (!fund) throw notFound();
  const ballot = await getBallotForFund(db, fund.id);
  if (!ballot?.opened_at) throw notFound("This fund's vote has not opened, so there is nothing here yet.");
  return { user, db, fund: { id: fund.id, name: fund.name }, ballot };
}
