import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { exportPersonData } from "~/services/personal-data.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/** /admin/people/:userId/export.json: a subject access request's answer, as a download. The export is audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "person.manage");
  const data = await exportPersonData(getDb(), admin, params.userId ?? "");
  if (!data) throw notFound("There is no such person.");
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="personal-data-${data.person.id as string}-${data.exported_at.slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
