import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission, requireUser } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { EligibilityQuestionFields } from "~/components/eligibility-question-fields";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { SelectField, TextField } from "~/components/ui/field";
import { DomainError } from "~/domain/errors";
import { eligibilityAnswersSchema, NotOnBehalfSchema, OnBehalfSchema } from "~/domain/forms/proposal";
import { formatPence } from "~/domain/money";
import { can, startScope } from "~/domain/permissions";
import { formatDate, submissionWindow } from "~/domain/phases";
import { listOpenDecisionGroups, listOpenDecisionGroupsForLead } from "~/models/applicant.server";
import { listLeadContacts, listOfflineCommunityGroups } from "~/models/organisation.server";
import { startProposalForNewGroup } from "~/services/organisations.server";
import { eligibilityRules, startProposal } from "~/services/proposals.server";
import { getDb } from "~/utils/db.server";
import { formInput, type FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";

const copy = {
  title: "Start a proposal",
  step1: "Step 1 of 2: choose a group",
  step1Intro:
    "Each decision group is for a place or a community. It has its own money and its own panel. Choose the one your group belongs to. Not sure? Ask your lead organisation.",
  step1IntroLead:
    "Choose the decision group the community group's proposal is for. You can start proposals only for the decision groups your organisation serves.",
  groupLegend: "Which group is your proposal for?",
  groupLegendLead: "Which decision group is the proposal for?",
  grants: (min: number, max: number) => `Grants from ${formatPence(min)} to ${formatPence(max)}.`,
  closes: (date: string) => `Closing date: ${date}.`,
  closed: (date: string) => `Closed on ${date}.`,
  continue: "Continue",
  noGroups: "There are no funds open for proposals at the moment.",
  noLeadGroups: "Your organisation does not serve any decision group of a published fund, so you cannot start a proposal here.",
  step2: "Step 2 of 2: check you can apply",
  step2Intro: "Answer these questions so we can check your group can apply to this fund.",
  fund: "Fund",
  area: "Area or community",
  grantRange: "Grant size",
  closingDate: "Closing date for submitting",
  noClosingDate: "No closing date set yet",
  closedWarning: (date: string) => `Proposals for this fund closed on ${date}. You can still write a draft, but you will not be able to submit it.`,
  noQuestions: "This fund has no eligibility questions. You can start your proposal.",
  leadHeading: "Your lead organisation",
  leadIntro: "Your lead organisation can help you write your proposal and answer questions about the fund:",
  noLeads: "This decision group has no lead organisation yet. Contact the fund administrator.",
  onBehalfHeading: "Which community group are you helping?",
  onBehalfIntro: "The proposal will belong to the group, and will be recorded as prepared with the support of your organisation.",
  organisation: "Community group",
  newGroup: "Or, if the group is not listed, its name",
  newGroupHint: "We will create a simple record for the group. They can join the portal later.",
  start: "Start the outline proposal",
  change: "Choose a different decision group",
  ineligibleTitle: "Your group cannot apply to this fund with that answer",
  ineligibleHelp: "If you think this is wrong, or want help finding other funding, contact your lead organisation:",
  notFound: "Choose a decision group from the list",
};

interface Contact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
}

type ActionData = FormActionData & { ineligible?: { reason: string; leads: Contact[] } };

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** Someone with no group yet sets up its profile first; lead organisations start on a group's behalf. */
async function requireStarter(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.memberships.length === 0) throw redirect("/applicant/group");
  return requirePermission(request, "proposal.start");
}

/** The open decision groups this person may start a proposal in (the policy's startScope). */
function groupsFor(user: SessionUser) {
  const scope = startScope(user);
  if (scope.kind === "served_by") return listOpenDecisionGroupsForLead(getDb(), scope.leadOrganisationId);
  return scope.kind === "all" ? listOpenDecisionGroups(getDb()) : Promise.resolve([]);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStarter(request);
  const db = getDb();
  const groups = await groupsFor(user);
  const wanted = new URL(request.url).searchParams.get("decisionGroupId");
  const selected = wanted ? groups.find((g) => g.id === wanted) : undefined;
  const isLead = can(user, "proposal.start_for_group");
  const now = new Date();
  const summaries = groups.map((g) => ({
    id: g.id,
    name: g.name,
    area: g.area,
    fundName: g.fundName,
    min: g.min_grant_pence,
    max: g.max_grant_pence,
    closesOn: g.closes_on ? formatDate(g.closes_on) : null,
    isClosed: submissionWindow(g, now) === "closed",
  }));
  if (!selected) {
    return json({
      step: 1 as const,
      isLead,
      groups: summaries,
      problem: wanted ? copy.notFound : null,
      selected: null,
      questions: [],
      leads: [],
      communityGroups: [],
    });
  }
  const [rules, leads, communityGroups] = await Promise.all([
    eligibilityRules(db, selected.fundId),
    listLeadContacts(db, selected.id),
    // Only groups that are not online: one with members on the portal starts its own proposals.
    isLead ? listOfflineCommunityGroups(db) : Promise.resolve([]),
  ]);
  return json({
    step: 2 as const,
    isLead,
    groups: summaries,
    problem: null,
    selected: summaries.find((s) => s.id === selected.id)!,
    questions: rules.map((r) => ({ id: r.id, text: r.text, options: r.options })),
    leads,
    communityGroups,
  });
}

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<ActionData>> {
  const form = await readVerifiedForm(request);
  const user = await requireStarter(request);
  const db = getDb();
  const decisionGroupId = String(form.get("decisionGroupId") ?? "");
  const group = (await groupsFor(user)).find((g) => g.id === decisionGroupId);
  // The group decides which questions the form has, so it is found before the form is read.
  if (!group) return formError({ decisionGroupId: copy.notFound }, formInput(form).values);

  const rules = await eligibilityRules(db, group.fundId);
  // A lead organisation also says which community group it is helping.
  const schema = eligibilityAnswersSchema(rules).and(can(user, "proposal.start_for_group") ? OnBehalfSchema : NotOnBehalfSchema);
  return submitForm(form, schema, async (data, values) => {
    const eligibilityAnswers = Object.fromEntries(rules.map((r) => [r.id, String(data[`q_${r.id}`])]));
    let proposalId: string;
    try {
      if (data.newGroupName) {
        proposalId = await startProposalForNewGroup(db, user, { decisionGroupId, groupName: data.newGroupName, eligibilityAnswers }, data.submission);
      } else {
        const organisationId = data.organisationId ?? user.organisationId!;
        proposalId = await startProposal(db, user, { decisionGroupId, organisationId, eligibilityAnswers }, data.submission);
      }
    } catch (error) {
      if (!(error instanceof DomainError && error.field === "eligibility")) throw error;
      const leads = await listLeadContacts(db, decisionGroupId);
      return formError({ eligibility: error.message }, values, { ineligible: { reason: error.message, leads } });
    }
    return redirect(`/proposals/${proposalId}/edit`);
  });
}

function LeadContacts({ leads }: { leads: Contact[] }) {
  if (!leads.length) return <p>{copy.noLeads}</p>;
  return (
    <ul className="list-disc pl-6">
      {leads.map((l) => (
        <li key={l.id}>
          <strong>{l.name}</strong>
          {l.email ? (
            <>
              {": "}
              <a href={`mailto:${l.email}`} className="break-all">
                {l.email}
              </a>
            </>
          ) : null}
          {l.phone ? `, ${l.phone}` : null}
        </li>
      ))}
    </ul>
  );
}

export default function StartProposal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors ?? (data.problem ? { decisionGroupId: data.problem } : undefined);
  const values = actionData?.values ?? {};

  if (data.step === 1 || !data.selected) {
    return (
      <div className="max-w-3xl">
        <ErrorSummary errors={errors} />
        <h1>{copy.title}</h1>
        <h2 className="mt-0 text-xl">{copy.step1}</h2>
        <p>{data.isLead ? copy.step1IntroLead : copy.step1Intro}</p>
        {data.groups.length ? (
          <Form method="get">
            <fieldset
              className={`mb-6 ${errors?.decisionGroupId ? "border-l-4 border-red-700 pl-3" : ""}`}
              aria-describedby={errors?.decisionGroupId ? "decisionGroupId-error" : undefined}
            >
              <legend className="mb-2 font-semibold">{data.isLead ? copy.groupLegendLead : copy.groupLegend}</legend>
              {errors?.decisionGroupId ? (
                <p id="decisionGroupId-error" className="mb-1 font-semibold text-red-800">
                  <span className="sr-only">Error: </span>
                  {errors.decisionGroupId}
                </p>
              ) : null}
              {data.groups.map((g, i) => (
                <div key={g.id} className="my-3 flex items-start gap-2">
                  <input
                    type="radio"
                    id={i === 0 ? "decisionGroupId" : `decisionGroupId-${g.id}`}
                    name="decisionGroupId"
                    value={g.id}
                    aria-describedby={`group-hint-${g.id}`}
                    className="mt-1 h-6 w-6 shrink-0"
                  />
                  <div>
                    <label htmlFor={i === 0 ? "decisionGroupId" : `decisionGroupId-${g.id}`} className="font-semibold">
                      {g.name} <span className="font-normal">({g.fundName})</span>
                    </label>
                    <p id={`group-hint-${g.id}`} className="mb-0 text-slate-700">
                      {g.area}. {copy.grants(g.min, g.max)} {g.closesOn ? (g.isClosed ? copy.closed(g.closesOn) : copy.closes(g.closesOn)) : null}
                    </p>
                  </div>
                </div>
              ))}
            </fieldset>
            <button type="submit" className="btn">
              {copy.continue}
            </button>
          </Form>
        ) : (
          <p>{data.isLead ? copy.noLeadGroups : copy.noGroups}</p>
        )}
      </div>
    );
  }

  const g = data.selected;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <h2 className="mt-0 text-xl">{copy.step2}</h2>
      <dl className="panel">
        <dt className="font-semibold">{copy.fund}</dt>
        <dd className="mb-2">{g.fundName}</dd>
        <dt className="font-semibold">{copy.area}</dt>
        <dd className="mb-2">
          {g.name}: {g.area}
        </dd>
        <dt className="font-semibold">{copy.grantRange}</dt>
        <dd className="mb-2">{copy.grants(g.min, g.max)}</dd>
        <dt className="font-semibold">{copy.closingDate}</dt>
        <dd>{g.closesOn ?? copy.noClosingDate}</dd>
      </dl>
      {g.isClosed && g.closesOn ? <p className="font-semibold">{copy.closedWarning(g.closesOn)}</p> : null}

      {actionData?.ineligible ? (
        <div id="eligibility" tabIndex={-1} className="mb-8 border-4 border-red-700 p-4">
          <h2 className="mt-0">{copy.ineligibleTitle}</h2>
          <p className="font-semibold">{actionData.ineligible.reason}</p>
          <p>{copy.ineligibleHelp}</p>
          <LeadContacts leads={actionData.ineligible.leads} />
        </div>
      ) : null}

      <Form method="post" noValidate action={`/proposals/new?decisionGroupId=${encodeURIComponent(g.id)}`}>
        <CsrfInput />
        <input type="hidden" name="decisionGroupId" value={g.id} />
        <p>{data.questions.length ? copy.step2Intro : copy.noQuestions}</p>
        <EligibilityQuestionFields questions={data.questions} values={values} errors={errors} />
        {data.isLead ? (
          <fieldset className="mb-6">
            <legend className="mb-1 text-xl font-bold">{copy.onBehalfHeading}</legend>
            <p>{copy.onBehalfIntro}</p>
            <SelectField
              name="organisationId"
              label={copy.organisation}
              defaultValue={values.organisationId}
              error={errors?.organisationId}
              options={data.communityGroups.map((o) => ({ value: o.id, label: o.name }))}
            />
            <TextField name="newGroupName" label={copy.newGroup} hint={copy.newGroupHint} defaultValue={values.newGroupName} error={errors?.newGroupName} />
          </fieldset>
        ) : null}
        <button type="submit" className="btn">
          {copy.start}
        </button>
      </Form>
      <p className="mt-6">
        <Link to="/proposals/new">{copy.change}</Link>
      </p>
      {data.isLead ? null : (
        <>
          <h2>{copy.leadHeading}</h2>
          <p>{copy.leadIntro}</p>
          <LeadContacts leads={data.leads} />
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
