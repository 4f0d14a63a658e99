import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { toCsv } from "~/domain/csv";
import { templateRecords } from "~/domain/proposal-import";
import { listDecisionGroups } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";

/**
 * /admin/proposals/import-template.csv: the import header (every documented
 * column, the optional community_group_identifier among them) and one
 * example row to replace.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.import");
  const [first] = await listDecisionGroups(getDb());
  return new Response(toCsv(templateRecords(first?.name), { bom: true }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="proposal-import-template.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
