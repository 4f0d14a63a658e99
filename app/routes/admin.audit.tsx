import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { ChainStatusPanel } from "~/components/chain-status";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField, TextField } from "~/components/ui/field";
import { Pagination } from "~/components/ui/pagination";
import { auditFiltersFrom } from "~/domain/forms/admin";
import { listAuditEvents, listAuditFacets } from "~/models/audit.server";
import { checkAuditChainSinceCheckpoint } from "~/services/audit-checks.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";
import { DataTable } from "~/components/ui/data-table";

const PAGE_SIZE = 50;

const copy = {
  title: "Audit trail",
  intro: "Every change in the portal is recorded here, newest first. Each event's hash includes the one before it, so any later edit shows.",
  filters: "Filter events",
  entityType: "Record type",
  entityId: "Record id",
  actor: "Who (user id or email)",
  action: "Action",
  from: "From date",
  to: "To date (inclusive)",
  apply: "Apply filters",
  exportCsv: "Download these events as CSV",
  none: "No events match these filters.",
  caption: "Audit events",
  columns: ["#", "When (UTC)", "Who", "Action", "Record", "Change"],
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const url = new URL(request.url);
  const { parsed, filters } = auditFiltersFrom(url.searchParams);
  const db = getDb();
  const page = pageFrom(url);
  const [events, facets, chain] = await Promise.all([listAuditEvents(db, filters, page, PAGE_SIZE), listAuditFacets(db), checkAuditChainSinceCheckpoint(db)]);
  return json({ events, facets, chain, page, errors: parsed.ok ? null : parsed.errors, values: parsed.values }, { status: parsed.ok ? 200 : 400 });
}

export default function AuditTrail() {
  const { events, facets, chain, page, errors, values } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <ChainStatusPanel check={chain} />
      <ErrorSummary errors={errors} />
      <Form method="get" className="mb-8 border-2 border-slate-300 p-4">
        <h2 className="mt-0">{copy.filters}</h2>
        <div className="grid gap-x-6 sm:grid-cols-2">
          <SelectField
            name="entityType"
            label={copy.entityType}
            defaultValue={values.entityType}
            placeholder="Any"
            options={facets.entityTypes.map((t) => ({ value: t, label: t }))}
          />
          <SelectField
            name="action"
            label={copy.action}
            defaultValue={values.action}
            placeholder="Any"
            options={facets.actions.map((a) => ({ value: a, label: a }))}
          />
          <TextField name="actor" label={copy.actor} defaultValue={values.actor} />
          <TextField name="entityId" label={copy.entityId} defaultValue={values.entityId} />
          <TextField name="from" label={copy.from} type="date" defaultValue={values.from} error={errors?.from} />
          <TextField name="to" label={copy.to} type="date" defaultValue={values.to} error={errors?.to} />
        </div>
        <button type="submit" className="btn">
          {copy.apply}
        </button>
      </Form>
      <p>
        {events.total} {events.total === 1 ? "event" : "events"}
        {" · "}
        <a href={`/admin/audit/export.csv${location.search}`} download>
          {copy.exportCsv}
        </a>
      </p>
      {events.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        // Focusable, named region: keyboard users can scroll the wide table at narrow widths (WCAG 2.1.1).
        <DataTable caption={copy.caption} columns={copy.columns} className="table text-sm">
          {events.rows.map((e) => (
            <tr key={e.id}>
              <td>{e.id}</td>
              <td className="whitespace-nowrap">{e.time.replace("T", " ").slice(0, 19)}</td>
              <td>{e.actorEmail ?? e.actor}</td>
              <td>{e.action}</td>
              <td>
                {e.entity_type}
                <br />
                <code className="break-all text-xs">{e.entity_id}</code>
              </td>
              <td className="max-w-xs">
                {e.before ? <p className="mb-1 break-all text-xs">Before: {e.before}</p> : null}
                {e.after ? <p className="mb-0 break-all text-xs">After: {e.after}</p> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={events.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
