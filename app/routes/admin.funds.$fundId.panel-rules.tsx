import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, TextField } from "~/components/ui/field";
import { LIMIT_KEYS, limitField, PanelRulesSchema, panelRulesValues, SCORE_SCALE_MAX_LIMIT, type LimitKey } from "~/domain/forms/panel-rules";
import { CONSTITUENCIES, CONSTITUENCY_LABELS } from "~/domain/roles";
import { TIE_RULE_TEXTS } from "~/domain/voting";
import { getFundPanelRules } from "~/models/panel.server";
import { listGroupsWithLeadOrgs } from "~/models/fund.server";
import { savePanelRules } from "~/services/panel-rules.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Panel rules",
  intro:
    "These rules apply to every decision group's panel in this fund: how proposals are scored, how the panel votes, how a tie is settled, how many members make a meeting quorate, and the mix of residents, councillors and VCSE representatives a panel should have.",
  scoring: "Scoring",
  scoreScaleMax: "Top score for each criterion",
  scoreScaleMaxHint: `Panel members give each criterion a whole number from 0 to this. From 1 to ${SCORE_SCALE_MAX_LIMIT}. It cannot change once scores have been submitted.`,
  votingMethod: "How the panel votes",
  votingOptions: [
    { value: "per_proposal", label: "One vote on each proposal: fund, don't fund or abstain. A majority of the votes cast decides." },
    {
      value: "approval",
      label: "Approval ballot: each member approves up to a set number of proposals on one ballot. The most approved proposals go forward.",
    },
  ],
  approvalMax: "Most proposals each member may approve",
  approvalMaxHint: "Only for an approval ballot. A whole number, 1 or more.",
  tieRule: "How a tied vote is settled",
  tieOptions: [
    { value: "chair", label: TIE_RULE_TEXTS.chair },
    { value: "higher_score", label: TIE_RULE_TEXTS.higher_score },
  ],
  quorum: "Quorum",
  quorumMinPresent: "Fewest members who must be present",
  quorumMinPresentHint: "A meeting with fewer members present is not quorate. Its votes are still recorded, but marked not quorate.",
  composition: "Panel composition",
  compositionHint:
    "Leave a box empty for no limit. Shares are percentages of the members (for the panel) or of those present (for a meeting's quorum). Each smallest share or number must be the same as or less than the largest.",
  limitLabels: {
    minShare: "Smallest share (%)",
    maxShare: "Largest share (%)",
    minCount: "Fewest members",
    maxCount: "Most members",
  } satisfies Record<LimitKey, string>,
  constituencyLegend: (label: string) => `${label}s`,
  submit: "Save panel rules",
  saved: "Panel rules saved.",
  groups: "See each group's panel against these rules",
  noGroups: "This fund has no decision groups yet.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, groups] = await Promise.all([getFundPanelRules(db, fundId), listGroupsWithLeadOrgs(db, fundId)]);
  if (!fund) throw notFound();
  const isSaved = new URL(request.url).searchParams.get("done") === "saved";
  return json({
    fund: { id: fund.id, name: fund.name },
    values: panelRulesValues(fund),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    isSaved,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "fund.manage");
  const fundId = params.fundId ?? "";
  if (!(await getFundPanelRules(getDb(), fundId))) throw notFound();
  return submitForm(form, PanelRulesSchema, async (data) => {
    await savePanelRules(getDb(), admin, fundId, data);
    return redirect(`/admin/funds/${fundId}/panel-rules?done=saved`);
  });
}

export default function PanelRules() {
  const { fund, values: saved, groups, isSaved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values: Record<string, string | undefined> = actionData?.values ?? saved;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {isSaved && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <h2>{copy.scoring}</h2>
        <TextField
          name="scoreScaleMax"
          label={copy.scoreScaleMax}
          hint={copy.scoreScaleMaxHint}
          inputMode="numeric"
          className="max-w-[6rem]"
          defaultValue={values.scoreScaleMax}
          error={errors?.scoreScaleMax}
        />
        <h2>{copy.votingMethod}</h2>
        <RadioGroup
          name="votingMethod"
          label={copy.votingMethod}
          options={copy.votingOptions}
          defaultValue={values.votingMethod}
          error={errors?.votingMethod}
        />
        <TextField
          name="approvalMax"
          label={copy.approvalMax}
          hint={copy.approvalMaxHint}
          inputMode="numeric"
          className="max-w-[6rem]"
          defaultValue={values.approvalMax}
          error={errors?.approvalMax}
        />
        <RadioGroup name="tieRule" label={copy.tieRule} options={copy.tieOptions} defaultValue={values.tieRule} error={errors?.tieRule} />
        <h2>{copy.quorum}</h2>
        <TextField
          name="quorumMinPresent"
          label={copy.quorumMinPresent}
          hint={copy.quorumMinPresentHint}
          inputMode="numeric"
          className="max-w-[6rem]"
          defaultValue={values.quorumMinPresent}
          error={errors?.quorumMinPresent}
        />
        <h2>{copy.composition}</h2>
        <p id="composition-hint">{copy.compositionHint}</p>
        {CONSTITUENCIES.map((c) => (
          <fieldset key={c} className="mb-6 border-2 border-slate-300 p-4" aria-describedby="composition-hint">
            <legend className="px-1 text-xl font-bold">{copy.constituencyLegend(CONSTITUENCY_LABELS[c])}</legend>
            <div className="grid gap-x-6 sm:grid-cols-2">
              {LIMIT_KEYS.map((k) => (
                <TextField
                  key={k}
                  name={limitField(c, k)}
                  label={copy.limitLabels[k]}
                  inputMode="numeric"
                  className="max-w-[6rem]"
                  defaultValue={values[limitField(c, k)]}
                  error={errors?.[limitField(c, k)]}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
      <h2>{copy.groups}</h2>
      {groups.length === 0 ? (
        <p>{copy.noGroups}</p>
      ) : (
        <ul className="list-disc space-y-1 pl-6">
          {groups.map((g) => (
            <li key={g.id}>
              <Link to={`/admin/groups/${g.id}/panel`}>{g.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
