import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { PublishResultsSchema } from "~/domain/forms/decision";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getFundForResults, getPublishedResults, listUndecidedProposals } from "~/models/published-results.server";
import { checkOpenData } from "~/models/three-sixty-giving.server";
import { setResultsPublished } from "~/services/decisions.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Results and decisions",
  groups: "Decision groups",
  groupsCaption: "Each decision group's decisions so far",
  columns: ["Decision group", "Pot", "Funded", "Decided", "Pages"],
  results: "Results",
  allocation: "Allocation",
  decisions: "Decisions",
  of: (group: string) => ` for ${group}`,
  noGroups: "This fund has no decision groups yet.",
  publish: "Published results",
  isPublished: (date: string) =>
    `The results have been public since ${date}. Anyone can read them without signing in. The public pages show the results as they were when you published them. To show a later change, unpublish the results and publish them again.`,
  notPublished: "The results are not published. Only administrators can see the results page.",
  whatIsPublished:
    "The public page shows each group's funded projects with amounts and reasons, totals against the pot, how many proposals were received, found eligible and funded, the panel's make-up by constituency (names only of members who agreed), and the minutes of closed meetings. It never shows scores or who scored what.",
  preview: "Preview the public results page",
  publishButton: "Publish the results",
  undecided: "Waiting for a decision",
  undecidedIntro: (n: number) =>
    `${n} ${n === 1 ? "proposal has" : "proposals have"} no decision yet. The results can be published once each one is decided (or marked not eligible).`,
  undecidedItem: (group: string, status: string) => ` – ${group}, ${status.toLowerCase()}`,
  unpublishButton: "Unpublish the results",
  openData: "Open data check",
  openDataIntro: (n: number) =>
    `The 360Giving files go public with the results. ${n} ${n === 1 ? "problem" : "problems"} in them would fail 360Giving's data-quality checks. The results can be published once ${n === 1 ? "it is" : "they are"} fixed.`,
  openDataRefused: (n: number) =>
    `The results were not published: the open data has ${n} ${n === 1 ? "problem" : "problems"} to fix first (listed under "Open data check").`,
  done: { published: "Results published.", unpublished: "Results unpublished: the public page now shows 'Page not found'." } as Record<string, string>,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFundForResults(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const [groups, undecided] = await Promise.all([getPublishedResults(db, fund.id), listUndecidedProposals(db, fund.id)]);
  const openDataProblems = await checkOpenData(db, fund.id);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return json({
    openDataProblems,
    fund: { id: fund.id, name: fund.name, publishedAt: fund.results_published_at },
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      potPence: g.potPence,
      fundedPence: g.fundedPence,
      decided: g.counts.funded + g.counts.notFunded + g.counts.reserve,
      eligible: g.counts.eligible,
    })),
    undecided: undecided.map((p) => ({
      id: p.id,
      label: p.title ? `${p.reference}: ${p.title}` : p.reference,
      group: p.decisionGroupName,
      status: STATUS_LABELS[p.status],
      // Supported proposals are screened first; the others are decided on their group's decisions page.
      href: p.status === "supported" ? `/admin/proposals/${p.id}` : `/admin/groups/${p.decisionGroupId}/decisions?proposal=${p.id}#decision`,
    })),
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFundForResults(db, params.fundId ?? "");
  if (!fund) throw notFound();
  return submitForm(form, PublishResultsSchema, async (data) => {
    const openData = data.intent === "publish" ? await checkOpenData(db, fund.id) : [];
    if (openData.length) return formError({ intent: copy.openDataRefused(openData.length) });
    await setResultsPublished(db, admin, fund.id, data.intent === "publish");
    return redirect(`/admin/funds/${fund.id}/results?done=${data.intent === "publish" ? "published" : "unpublished"}`);
  });
}

export default function FundResultsAdmin() {
  const { fund, groups, undecided, openDataProblems, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={actionData?.errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>

      <h2>{copy.groups}</h2>
      {groups.length === 0 ? (
        <p>{copy.noGroups}</p>
      ) : (
        <DataTable caption={copy.groupsCaption} columns={copy.columns}>
          {groups.map((g) => (
            <tr key={g.id}>
              <th scope="row" className="font-normal">
                {g.name}
              </th>
              <td className="whitespace-nowrap">{formatPence(g.potPence)}</td>
              <td className="whitespace-nowrap">{formatPence(g.fundedPence)}</td>
              <td>
                {g.decided} of {g.eligible}
              </td>
              <td>
                <ul className="flex flex-wrap gap-x-4">
                  {(
                    [
                      ["results", copy.results],
                      ["allocation", copy.allocation],
                      ["decisions", copy.decisions],
                    ] as const
                  ).map(([path, label]) => (
                    <li key={path}>
                      <Link to={`/admin/groups/${g.id}/${path}`}>
                        {label}
                        <span className="sr-only">{copy.of(g.name)}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{copy.publish}</h2>
      <p className="font-semibold">{fund.publishedAt ? copy.isPublished(formatDate(fund.publishedAt)) : copy.notPublished}</p>
      <p>{copy.whatIsPublished}</p>
      <p>
        <Link to={`/funds/${fund.id}/results`}>{copy.preview}</Link>
      </p>
      {!fund.publishedAt && undecided.length ? (
        <section aria-labelledby="undecided-title" className="panel">
          <h3 id="undecided-title" className="mt-0">
            {copy.undecided}
          </h3>
          <p>{copy.undecidedIntro(undecided.length)}</p>
          <ul className="list-disc pl-6">
            {undecided.map((p) => (
              <li key={p.id}>
                <Link to={p.href}>{p.label}</Link>
                {copy.undecidedItem(p.group, p.status)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {openDataProblems.length ? (
        <section aria-labelledby="open-data-title" className="panel">
          <h3 id="open-data-title" className="mt-0">
            {copy.openData}
          </h3>
          <p>{copy.openDataIntro(openDataProblems.length)}</p>
          <ul className="list-disc pl-6">
            {openDataProblems.map((p, i) => (
              <li key={`${p.grant}-${i}`}>{p.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="post">
        <CsrfInput />
        {fund.publishedAt ? (
          <button type="submit" id="intent" name="intent" value="unpublish" className="btn-warning">
            {copy.unpublishButton}
          </button>
        ) : (
          <button type="submit" id="intent" name="intent" value="publish" className="btn">
            {copy.publishButton}
          </button>
        )}
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
