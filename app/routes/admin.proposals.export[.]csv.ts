import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { screeningFiltersFrom } from "~/domain/forms/screening";
import { proposalsCsv } from "~/domain/proposal-export";
import { ukDate } from "~/domain/phases";
import { listProposalsForExport } from "~/models/proposal-lists.server";
import { getDb } from "~/utils/db.server";

/**
 * /admin/proposals/export.csv: every proposal matching the screening queue's
 * filters (the same query string), one row each with every field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.export");
  const filters = screeningFiltersFrom(new URL(request.url).searchParams);
  const { rows, questions } = await listProposalsForExport(getDb(), filters);
  return new Response(proposalsCsv(rows, questions), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="proposals-${ukDate(new Date())}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
