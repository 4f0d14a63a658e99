import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { bulkInviteTemplate } from "~/domain/bulk-invitations";
import { toCsv } from "~/domain/csv";
import { listDecisionGroups, listLeadOrganisations } from "~/models/directory.server";
import { getDb } from "~/utils/db.server";

/** /admin/invitations/bulk-template.csv: the bulk invitation header and one example row per role, naming real groups. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "invitation.create");
  const [groups, leads] = await Promise.all([listDecisionGroups(getDb()), listLeadOrganisations(getDb())]);
  return new Response(toCsv(bulkInviteTemplate({ decisionGroup: groups[0]?.name, leadOrganisation: leads[0]?.name }), { bom: true }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="invitations-template.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
