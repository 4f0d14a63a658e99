import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { awardsCsv } from "~/domain/award-export";
import { listAwardsForExport } from "~/models/award-export.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";

/** /admin/awards/export.csv: every award (one fund's with ?fundId=), for a spreadsheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "awards.oversee");
  const fundId = new URL(request.url).searchParams.get("fundId") || undefined;
  const today = new Date().toISOString().slice(0, 10);
  const rows = await listAwardsForExport(getDb(), fundId);
  return csvResponse(awardsCsv(rows), `awards-${today}.csv`);
}
