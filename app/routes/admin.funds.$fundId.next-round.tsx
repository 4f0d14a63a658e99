import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { nextRoundSchema, potField, potGroupField } from "~/domain/forms/next-round";
import { PHASES } from "~/domain/fund";
import { formatPence, penceToPoundsInput } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { nextRoundName, sameDayNextYear } from "~/domain/rounds";
import { getFund } from "~/models/fund.server";
import { getRoundLinks, listRoundGroups } from "~/models/rounds.server";
import { startNextRound } from "~/services/rounds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Start the next round",
  intro: (name: string) =>
    `The next round is a new fund set up like ${name}: the same purpose and type, eligibility questions, scoring criteria, panel rules, payment and open data settings, and decision groups with their areas, grant limits and lead organisations.`,
  notCopied:
    "Proposals, panels, scores, meetings, decisions and awards stay with this round. The new round starts unpublished, so you can check it before anyone sees it. After you start it you can invite last round's panel members back.",
  already: "The next round of this fund has already been started: ",
  alreadyAfter: ". Change that round instead.",
  name: "Name of the new round",
  budget: "Total budget for the new round, in pounds",
  budgetHint: (old: string) => `This round's budget was ${old}. The decision groups' pots must fit inside the new one.`,
  phases: "Dates of the new round",
  phasesHint:
    "Write each date as YYYY-MM-DD. We have suggested the same days a year on. Each phase must start on or after the one before it. You can leave dates empty until you publish the round.",
  was: (date: string) => `This round: ${date}`,
  pots: "Each decision group's pot, in pounds",
  potsHint: "Each pot is ring-fenced for its group and must be at least the group's maximum grant. Together they must fit the total budget.",
  pot: (name: string) => `Pot for ${name}`,
  potHint: (old: string, max: string) => `This round's pot was ${old}. Grants from this group go up to ${max}.`,
  noGroups: "This fund has no decision groups, so the new round will have none until you add them.",
  submit: "Start the next round",
  cancel: "Back to the fund",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, groups, rounds] = await Promise.all([getFund(db, fundId), listRoundGroups(db, fundId), getRoundLinks(db, fundId)]);
  if (!fund) throw notFound();
  return json({ fund, groups, next: rounds.next });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const db = getDb();
  const fundId = params.fundId ?? "";
  if (!(await getFund(db, fundId))) throw notFound();
  const groups = await listRoundGroups(db, fundId);
  const schema = nextRoundSchema(groups.map((g) => ({ id: g.id, name: g.name, maxGrantPence: g.max_grant_pence })));
  return submitForm(form, schema, async (data) => {
    const newFundId = await startNextRound(db, admin, fundId, data);
    return redirect(`/admin/funds/${newFundId}?done=round_started`);
  });
}

export default function NextRound() {
  const { fund, groups, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values: Record<string, string | undefined> = actionData?.values ?? {
    name: nextRoundName(fund.name),
    budget: penceToPoundsInput(fund.budget_pence),
    ...Object.fromEntries(PHASES.map((p) => [p.field, sameDayNextYear(fund[p.column]) ?? ""])),
    ...Object.fromEntries(groups.map((g, i) => [potField(i), penceToPoundsInput(g.pot_pence)])),
  };
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      <h1>{copy.title}</h1>
      {next ? (
        <p className="panel font-semibold">
          {copy.already}
          <Link to={`/admin/funds/${next.id}`}>{next.name}</Link>
          {copy.alreadyAfter}
        </p>
      ) : null}
      <p>{copy.intro(fund.name)}</p>
      <p>{copy.notCopied}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField name="name" label={copy.name} defaultValue={values.name} error={errors?.name} />
        <TextField
          name="budget"
          label={copy.budget}
          hint={copy.budgetHint(formatPence(fund.budget_pence))}
          inputMode="decimal"
          className="max-w-xs"
          defaultValue={values.budget}
          error={errors?.budget}
        />
        <fieldset className="mb-6" aria-describedby="phases-hint">
          <legend className="mb-1 text-xl font-bold">{copy.phases}</legend>
          <p id="phases-hint" className="text-slate-700">
            {copy.phasesHint}
          </p>
          {PHASES.map((p) => (
            <TextField
              key={p.field}
              name={p.field}
              label={p.label}
              hint={fund[p.column] ? copy.was(formatDate(fund[p.column])) : undefined}
              type="date"
              className="max-w-xs"
              defaultValue={values[p.field]}
              error={errors?.[p.field]}
            />
          ))}
        </fieldset>
        <fieldset className="mb-6" aria-describedby="pots-hint">
          <legend className="mb-1 text-xl font-bold">{copy.pots}</legend>
          <p id="pots-hint" className="text-slate-700">
            {groups.length ? copy.potsHint : copy.noGroups}
          </p>
          {groups.map((g, i) => (
            <div key={g.id}>
              <input type="hidden" name={potGroupField(i)} value={g.id} />
              <TextField
                name={potField(i)}
                label={copy.pot(g.name)}
                hint={copy.potHint(formatPence(g.pot_pence), formatPence(g.max_grant_pence))}
                inputMode="decimal"
                className="max-w-xs"
                defaultValue={values[potField(i)]}
                error={errors?.[potField(i)]}
              />
            </div>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn">
            {copy.submit}
          </button>
          <Link to={`/admin/funds/${fund.id}`}>{copy.cancel}</Link>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
