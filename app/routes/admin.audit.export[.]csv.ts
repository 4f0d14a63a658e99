import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { toCsv } from "~/domain/csv";
import { auditFiltersFrom } from "~/domain/forms/admin";
import { auditEventsOldestFirst } from "~/models/audit.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";
import { badRequest } from "~/utils/http.server";

const HEADER = ["Event", "Time (UTC)", "Actor id", "Actor email", "Action", "Record type", "Record id", "Before", "After", "Hash"];

/**
 * /admin/audit/export.csv: the audit events the page's filters select, oldest first, for a spreadsheet.
 * Streamed a batch at a time, so a download of the whole trail never holds it all in memory.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const { parsed, filters } = auditFiltersFrom(new URL(request.url).searchParams);
  if (!parsed.ok) return badRequest(Object.values(parsed.errors).join(" "));
  const batches = auditEventsOldestFirst(getDb(), filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(toCsv([HEADER], { bom: true })));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) return controller.close();
      controller.enqueue(
        encoder.encode(toCsv(next.value.map((e) => [e.id, e.time, e.actor, e.actorEmail, e.action, e.entity_type, e.entity_id, e.before, e.after, e.hash]))),
      );
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return csvResponse(body, `audit-${new Date().toISOString().slice(0, 10)}.csv`);
}
