import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireTeamAccess } from "~/auth/team-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { EligibilityQuestionFields } from "~/components/eligibility-question-fields";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField } from "~/components/ui/field";
import { StatusTag } from "~/components/ui/status-tag";
import { canBecomeProposal, IDEA_STATUS_LABELS, IDEA_TRANSITIONS, ideaProgress } from "~/domain/community-teams";
import { IdeaStatusSchema, IdeaToProposalSchema } from "~/domain/forms/community-teams";
import { eligibilityAnswersSchema } from "~/domain/forms/proposal";
import { can } from "~/domain/permissions";
import { getTeamIdea, listFundDecisionGroups } from "~/models/community-team.server";
import { moveIdea, turnIdeaIntoProposal } from "~/services/community-teams.server";
import { eligibilityRules } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  back: (team: string) => `Back to ${team}`,
  area: "Area",
  whereItIs: "Where it got to",
  proposal: "Its proposal",
  proposalLink: (reference: string) => `Open proposal ${reference}`,
  proposalNext:
    "Finish the proposal's parts and send it to your lead organisation from the proposal's page. Then it goes before a public meeting or a vote, like any other proposal.",
  move: "Move the idea",
  moveLabel: "Where is the idea now?",
  moveSave: "Save",
  propose: "Turn it into a proposal",
  proposeIntro: "This starts a draft outline proposal for your team with this idea's title and summary. You then finish it like any proposal.",
  group: "Decision group",
  groupHint: "The part of the fund the proposal goes to.",
  choose: "Choose a decision group",
  proposeSave: "Start the proposal",
  adminNote: "Only the team's members can turn an idea into a proposal.",
  moved: "Saved.",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.idea.title ?? "Idea"} – Community Grant Decisions` }];

async function ideaOf(request: Request, teamId: string | undefined, ideaId: string | undefined) {
  const { user, team } = await requireTeamAccess(request, teamId);
  const idea = await getTeamIdea(getDb(), team.id, ideaId ?? "");
  if (!idea) throw notFound("We could not find that idea.");
  return { user, team, idea };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, team, idea } = await ideaOf(request, params.teamId, params.ideaId);
  const db = getDb();
  const mayPropose = canBecomeProposal(idea.status) && can(user, "proposal.start");
  const [groups, rules] = mayPropose ? await Promise.all([listFundDecisionGroups(db, team.fundId), eligibilityRules(db, team.fundId)]) : [[], []];
  return json({
    team: { id: team.id, name: team.name },
    idea: { id: idea.id, title: idea.title, summary: idea.summary, area: idea.area, status: idea.status },
    progress: ideaProgress(idea.status, idea.proposalStatus),
    proposal: idea.proposalId ? { id: idea.proposalId, reference: idea.proposalReference ?? "" } : null,
    moves: IDEA_TRANSITIONS[idea.status].map((s) => ({ value: s, label: IDEA_STATUS_LABELS[s] })),
    canBecomeProposal: canBecomeProposal(idea.status),
    mayPropose,
    groups: groups.map((g) => ({ value: g.id, label: g.name })),
    questions: rules.map((r) => ({ id: r.id, text: r.text, options: r.options })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, team, idea } = await ideaOf(request, params.teamId, params.ideaId);
  const db = getDb();
  const here = `/teams/${team.id}/ideas/${idea.id}`;
  const intent = form.get("intent");
  if (intent === "move") {
    return submitForm(form, IdeaStatusSchema, async (data) => {
      await moveIdea(db, user, team.id, idea.id, data.status);
      return redirect(`${here}?moved=1`, 303);
    });
  }
  if (intent === "propose") {
    const rules = await eligibilityRules(db, team.fundId);
    return submitForm(form, IdeaToProposalSchema.and(eligibilityAnswersSchema(rules)), async (data) => {
      const eligibilityAnswers = Object.fromEntries(rules.map((r) => [r.id, String((data as Record<string, unknown>)[`q_${r.id}`])]));
      const proposalId = await turnIdeaIntoProposal(db, user, team.id, idea.id, { decisionGroupId: data.decisionGroupId, eligibilityAnswers }, data.submission);
      return redirect(`/proposals/${proposalId}/edit`, 303);
    });
  }
  return formError({ form: "Choose what to do." });
}

export default function TeamIdea() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [searchParams] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/teams/${data.team.id}`}>{copy.back(data.team.name)}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {searchParams.get("moved") && !errors ? (
        <p role="status" className="panel font-semibold">
          {copy.moved}
        </p>
      ) : null}
      <h1>{data.idea.title}</h1>
      <p className="whitespace-pre-line">{data.idea.summary}</p>
      <dl>
        <dt className="font-semibold">{copy.area}</dt>
        <dd className="mb-2">{data.idea.area}</dd>
        <dt className="font-semibold">{copy.whereItIs}</dt>
        <dd className="mb-2">
          <StatusTag tone={data.progress.tone}>{data.progress.label}</StatusTag>
          {data.progress.proposalLabel ? <span className="ml-2">{data.progress.proposalLabel}</span> : null}
        </dd>
      </dl>
      {data.proposal ? (
        <>
          <h2>{copy.proposal}</h2>
          <p>
            <Link to={`/proposals/${data.proposal.id}`}>{copy.proposalLink(data.proposal.reference)}</Link>
          </p>
          <p>{copy.proposalNext}</p>
        </>
      ) : null}
      {data.moves.length ? (
        <>
          <h2>{copy.move}</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="move" />
            <RadioGroup name="status" label={copy.moveLabel} defaultValue={values.status} error={errors?.status} options={data.moves} />
            <button type="submit" className="btn">
              {copy.moveSave}
            </button>
          </Form>
        </>
      ) : null}
      {data.canBecomeProposal ? (
        <>
          <h2 className="mt-8">{copy.propose}</h2>
          {data.mayPropose ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="propose" />
              <p>{copy.proposeIntro}</p>
              <SelectField
                name="decisionGroupId"
                label={copy.group}
                hint={copy.groupHint}
                placeholder={copy.choose}
                defaultValue={values.decisionGroupId}
                error={errors?.decisionGroupId}
                options={data.groups}
              />
              <EligibilityQuestionFields questions={data.questions} values={values} errors={errors} />
              {errors?.eligibility ? (
                <p id="eligibility" className="font-semibold text-red-700">
                  {errors.eligibility}
                </p>
              ) : null}
              <button type="submit" className="btn">
                {copy.proposeSave}
              </button>
            </Form>
          ) : (
            <p>{copy.adminNote}</p>
          )}
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
