import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { paymentsCsv } from "~/domain/award-export";
import { listPaymentsForExport } from "~/models/award-export.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";

/** /admin/payments/export.csv: every award's payments (one fund's with ?fundId=), for a spreadsheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "awards.oversee");
  const fundId = new URL(request.url).searchParams.get("fundId") || undefined;
  const today = new Date().toISOString().slice(0, 10);
  const rows = await listPaymentsForExport(getDb(), fundId);
  return csvResponse(paymentsCsv(rows), `payments-${today}.csv`);
}
