import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/ui/field";
import { formatDate } from "~/domain/phases";
import { diffContent, EMPTY_CONTENT, type ProposalContent } from "~/domain/proposal";
import { findProposalFor, listVersions } from "~/models/proposal.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "What changed between versions",
  back: "Back to the proposal",
  onlyOne: "Only one version has been submitted so far. There is nothing to compare yet.",
  none: "This proposal has not been submitted yet.",
  from: "Compare version",
  to: "with version",
  compare: "Compare",
  versionLabel: (n: number, date: string) => `Version ${n} (${date})`,
  heading: (from: number, to: number) => `Changes from version ${from} to version ${to}`,
  same: "These two versions are the same.",
  caption: (from: number, to: number) => `Fields that changed from version ${from} to version ${to}`,
  field: "Field",
  before: (n: number) => `Version ${n}`,
  after: (n: number) => `Version ${n}`,
  empty: "(blank)",
  badChoice: "Choose two different versions from the lists.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

function snapshotContent(snapshot: string): ProposalContent {
  try {
    return { ...EMPTY_CONTENT, ...(JSON.parse(snapshot) as Partial<ProposalContent>) };
  } catch {
    return EMPTY_CONTENT;
  }
}

const asVersion = (value: string | null) => {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isSafeInteger(n) ? n : null;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const proposal = await findProposalFor(db, user, params.proposalId ?? "");
  if (!proposal) throw notFound();
  const versions = await listVersions(db, proposal.id);
  const url = new URL(request.url);
  const latest = versions.at(-1)?.version ?? 0;
  const to = asVersion(url.searchParams.get("to")) ?? latest;
  const from = asVersion(url.searchParams.get("from")) ?? to - 1;
  const before = versions.find((v) => v.version === from);
  const after = versions.find((v) => v.version === to);
  const isValid = Boolean(before && after && from !== to);
  const changes = isValid ? diffContent(snapshotContent(before!.snapshot), snapshotContent(after!.snapshot)) : [];
  return json({
    proposal: { id: proposal.id, title: proposal.title, reference: proposal.reference },
    versions: versions.map((v) => ({ version: v.version, at: formatDate(v.submitted_at) })),
    from,
    to,
    isValid,
    wasAsked: url.searchParams.has("from") || url.searchParams.has("to"),
    changes,
  });
}

export default function CompareVersions() {
  const data = useLoaderData<typeof loader>();
  const options = data.versions.map((v) => ({ value: String(v.version), label: copy.versionLabel(v.version, v.at) }));
  return (
    <div>
      <p className="mb-1 text-slate-700">
        {data.proposal.reference} · {data.proposal.title}
      </p>
      <h1>{copy.title}</h1>
      <p>
        <Link to={`/proposals/${data.proposal.id}`}>{copy.back}</Link>
      </p>
      {data.versions.length < 2 ? (
        <p>{data.versions.length ? copy.onlyOne : copy.none}</p>
      ) : (
        <>
          <Form method="get" className="mb-8 flex flex-wrap items-end gap-x-6">
            <SelectField name="from" label={copy.from} defaultValue={String(data.from)} options={options} />
            <SelectField name="to" label={copy.to} defaultValue={String(data.to)} options={options} />
            <div className="mb-6">
              <button type="submit" className="btn-secondary">
                {copy.compare}
              </button>
            </div>
          </Form>
          {!data.isValid ? (
            data.wasAsked ? (
              <p className="font-semibold">{copy.badChoice}</p>
            ) : null
          ) : (
            <>
              <h2>{copy.heading(data.from, data.to)}</h2>
              {data.changes.length === 0 ? (
                <p>{copy.same}</p>
              ) : (
                <div {...scrollRegion(copy.caption(data.from, data.to))}>
                  <table className="table">
                    <caption className="sr-only">{copy.caption(data.from, data.to)}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{copy.field}</th>
                        <th scope="col">{copy.before(data.from)}</th>
                        <th scope="col">{copy.after(data.to)}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.changes.map((c) => (
                        <tr key={c.field}>
                          <th scope="row">{c.label}</th>
                          <td className="whitespace-pre-line break-words">
                            <del className="no-underline">{c.before || copy.empty}</del>
                          </td>
                          <td className="whitespace-pre-line break-words">
                            <ins className="no-underline">{c.after || copy.empty}</ins>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
