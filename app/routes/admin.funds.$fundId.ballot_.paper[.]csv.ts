import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { toCsv } from "~/domain/csv";
import { venueCsvRows } from "~/domain/paper-ballots";
import { getVenueReconciliation } from "~/models/paper-ballots.server";
import { csvResponse } from "~/utils/csv-response.server";

/** /admin/funds/:fundId/ballot/paper.csv: each venue's papers issued, returned, keyed and spoilt, with the totals. Papers, never votes. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const report = await getVenueReconciliation(db, ballot.id);
  return csvResponse(toCsv(venueCsvRows(report), { bom: true }), `paper-ballots-${fund.id}.csv`);
}
