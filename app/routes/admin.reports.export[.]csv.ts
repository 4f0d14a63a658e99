import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { reportsCsv } from "~/domain/award-export";
import { listReportsForExport } from "~/models/award-export.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";

/** /admin/reports/export.csv: every award's reports (one fund's with ?fundId=), for a spreadsheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "awards.oversee");
  const fundId = new URL(request.url).searchParams.get("fundId") || undefined;
  const today = new Date().toISOString().slice(0, 10);
  const rows = await listReportsForExport(getDb(), fundId);
  return csvResponse(reportsCsv(rows, today), `reports-${today}.csv`);
}
