import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { DecisionGroupFields } from "~/components/decision-group-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { DecisionGroupSchema } from "~/domain/forms/fund";
import { formatPence } from "~/domain/money";
import { listLeadOrganisations } from "~/models/directory.server";
import { getFund, listGroupsWithLeadOrgs } from "~/models/fund.server";
import { saveDecisionGroup } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { repeatedValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { DataTable } from "~/components/ui/data-table";

const copy = {
  title: "Decision groups",
  intro:
    "Each decision group has its own area or community of interest, a ring-fenced pot, minimum and maximum grants, lead organisations and a panel. It chooses among its own proposals.",
  budget: (budget: string, allocated: string, left: string) => `Total budget ${budget}. Allocated to pots ${allocated}. Left to allocate ${left}.`,
  none: "This fund has no decision groups yet.",
  caption: "Decision groups in this fund",
  columns: ["Decision group", "Area or community of interest", "Pot", "Grants from", "Grants up to", "Lead organisations", "Action"],
  change: "Change",
  add: "Add a decision group",
  submit: "Add decision group",
  done: { added: "Decision group added.", saved: "Decision group saved." } as Record<string, string>,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, groups, organisations] = await Promise.all([getFund(db, fundId), listGroupsWithLeadOrgs(db, fundId), listLeadOrganisations(db)]);
  if (!fund) throw notFound();
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return json({
    fund: { id: fund.id, name: fund.name, budget_pence: fund.budget_pence },
    groups,
    organisations,
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  if (!(await getFund(getDb(), fundId))) throw notFound();
  return submitForm(form, DecisionGroupSchema, async (data) => {
    await saveDecisionGroup(getDb(), admin, fundId, null, data);
    return redirect(`/admin/funds/${fundId}/groups?done=added`);
  });
}

export default function DecisionGroups() {
  const { fund, groups, organisations, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const allocated = groups.reduce((sum, g) => sum + g.pot_pence, 0);
  return (
    <div>
      <ErrorSummary errors={actionData?.errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <p className="panel max-w-3xl">
        {copy.budget(formatPence(fund.budget_pence), formatPence(allocated), formatPence(Math.max(0, fund.budget_pence - allocated)))}
      </p>
      {groups.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {groups.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.name}</th>
              <td>{g.area}</td>
              <td>{formatPence(g.pot_pence)}</td>
              <td>{formatPence(g.min_grant_pence)}</td>
              <td>{formatPence(g.max_grant_pence)}</td>
              <td>{g.leadOrganisations.map((o) => o.name).join(", ")}</td>
              <td>
                <Link to={`/admin/funds/${fund.id}/groups/${g.id}`}>
                  {copy.change}
                  <span className="sr-only"> {g.name}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="max-w-3xl">
        <h2>{copy.add}</h2>
        <Form method="post" noValidate key={done ?? "form"}>
          <CsrfInput />
          <DecisionGroupFields
            values={actionData?.values ?? {}}
            checked={repeatedValues(actionData?.values, "leadOrganisationIds")}
            errors={actionData?.errors}
            organisations={organisations}
          />
          <button type="submit" className="btn">
            {copy.submit}
          </button>
        </Form>
      </div>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
