import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { ChainStatusPanel } from "~/components/chain-status";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField, TextField } from "~/components/ui/field";
import { auditCursorFrom, auditFiltersFrom } from "~/domain/forms/admin";
import { listAuditFacets, listAuditTrailPage } from "~/models/audit.server";
import { checkAuditChainSinceCheckpoint } from "~/services/audit-checks.server";
import { getDb } from "~/utils/db.server";
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
  noneHere: "There are no events on this page. Use the links below.",
  shown: (newest: number, oldest: number) => `Events ${newest} back to ${oldest}, newest first.`,
  pages: "Pages of events",
  newest: "Newest events",
  newer: "Newer events",
  older: "Older events",
  caption: "Audit events",
  columns: ["#", "When (UTC)", "Who", "Action", "Record", "Change"],
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const url = new URL(request.url);
  const { parsed, filters } = auditFiltersFrom(url.searchParams);
  const { cursor, error: pageError } = auditCursorFrom(url.searchParams);
  const db = getDb();
  // One page by event id, the filter lists by index jumps, and the chain checked since its checkpoint: nothing reads the whole trail.
  const [events, facets, chain] = await Promise.all([
    listAuditTrailPage(db, filters, cursor, PAGE_SIZE),
    listAuditFacets(db),
    checkAuditChainSinceCheckpoint(db),
  ]);
  const errors: Record<string, string> = { ...(parsed.ok ? {} : parsed.errors), ...(pageError ? { page: pageError } : {}) };
  const hasErrors = Object.keys(errors).length > 0;
  return json({ events, facets, chain, errors: hasErrors ? errors : null, values: parsed.values }, { status: hasErrors ? 400 : 200 });
}

/** The query string with the filters kept and the page link replaced. */
function pageHref(search: string, cursor: { before?: number; after?: number }) {
  const params = new URLSearchParams(search);
  params.delete("before");
  params.delete("after");
  params.delete("page");
  if (cursor.before !== undefined) params.set("before", String(cursor.before));
  if (cursor.after !== undefined) params.set("after", String(cursor.after));
  const query = params.toString();
  return query ? `?${query}` : "/admin/audit";
}

export default function AuditTrail() {
  const { events, facets, chain, errors, values } = useLoaderData<typeof loader>();
  const location = useLocation();
  const first = events.rows[0];
  const last = events.rows[events.rows.length - 1];
  const exportSearch = new URLSearchParams(location.search);
  for (const key of ["before", "after", "page"]) exportSearch.delete(key);
  const exportQuery = exportSearch.toString();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <ChainStatusPanel check={chain} />
      <ErrorSummary errors={errors} hrefs={{ page: pageHref(location.search, {}) }} />
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
        {first && last ? `${copy.shown(first.id, last.id)} · ` : null}
        <a href={`/admin/audit/export.csv${exportQuery ? `?${exportQuery}` : ""}`} download>
          {copy.exportCsv}
        </a>
      </p>
      {events.rows.length === 0 ? (
        <p>{events.olderBefore === null && events.newerAfter === null ? copy.none : copy.noneHere}</p>
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
      {events.newerAfter !== null || events.olderBefore !== null ? (
        // Plain links (?before=, ?after=), so paging works without JavaScript.
        <nav aria-label={copy.pages} className="mt-6 flex flex-wrap items-center gap-6">
          {events.newerAfter !== null ? <Link to={pageHref(location.search, {})}>{copy.newest}</Link> : null}
          {events.newerAfter !== null ? <Link to={pageHref(location.search, { after: events.newerAfter })}>{copy.newer}</Link> : null}
          {events.olderBefore !== null ? <Link to={pageHref(location.search, { before: events.olderBefore })}>{copy.older}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
