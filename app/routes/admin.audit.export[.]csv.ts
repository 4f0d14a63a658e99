import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { toCsv } from "~/domain/csv";
import { auditFiltersFrom } from "~/domain/forms/admin";
import { listAuditEvents } from "~/models/audit.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";
import { badRequest } from "~/utils/http.server";

/** A download stays bounded; narrow the filters for more. */
const MAX_ROWS = 100_000;

const HEADER = ["Event", "Time (UTC)", "Actor id", "Actor email", "Action", "Record type", "Record id", "Before", "After", "Hash"];

/** /admin/audit/export.csv: the audit events the page's filters select, oldest first, for a spreadsheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const { parsed, filters } = auditFiltersFrom(new URL(request.url).searchParams);
  if (!parsed.ok) return badRequest(Object.values(parsed.errors).join(" "));
  const { rows } = await listAuditEvents(getDb(), filters, 1, MAX_ROWS);
  const body = toCsv(
    [HEADER, ...rows.reverse().map((e) => [e.id, e.time, e.actor, e.actorEmail, e.action, e.entity_type, e.entity_id, e.before, e.after, e.hash])],
    { bom: true },
  );
  return csvResponse(body, `audit-${new Date().toISOString().slice(0, 10)}.csv`);
}
