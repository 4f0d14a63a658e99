import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { evidenceView, ProposalEvidence } from "~/components/proposal-evidence";
import { ProposalView } from "~/components/proposal-view";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { SpecialistInputSchema } from "~/domain/forms/panel";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { getOrganisation } from "~/models/directory.server";
import { getProposalEvidence } from "~/models/proposal-evidence.server";
import { contentOf, findProposalFor } from "~/models/proposal.server";
import { getOwnSpecialistInput, SCORABLE_STATUSES } from "~/models/scoring.server";
import { saveSpecialistInput } from "~/services/specialist-input.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { ProposalStatusTag } from "~/components/ui/status-tag";

const copy = {
  back: "Back to your proposals",
  applicant: "Community group",
  amount: "Amount requested",
  status: "Status",
  saved: "Your input has been saved. Panel members will see it on the proposal's scoring page.",
  proposal: "The proposal",
  yourInput: "Your specialist input",
  intro: "Panel members read your input before they score. Write in plain English. You do not score or vote.",
  updatedOn: (date: string) => `You last updated your input on ${date}.`,
  feasibility: "Feasibility",
  feasibilityHint: "Can the project be delivered as described, for example the building work, permissions and timeline?",
  costRealism: "Cost realism",
  costRealismHint: "Are the budget lines realistic for what will be built or bought?",
  risks: "Risks",
  risksHint: "The main risks you see, and how they could be reduced.",
  save: "Save input",
  notOpen: (status: string) => `This proposal is "${status}", so input can no longer be changed.`,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal.reference ?? "Proposal"} – Specialist input – Community Grant Decisions` },
];

/** Advisers see their decision group's, or their whole fund's, proposals once eligible (the policy's proposalScope is in the query). */
async function loadProposal(
  request: Request,
  proposalId: string,
): Promise<{ user: SessionUser; proposal: NonNullable<Awaited<ReturnType<typeof findProposalFor>>> }> {
  const user = await requirePermission(request, "proposal.advise");
  const proposal = await findProposalFor(getDb(), user, proposalId);
  if (!proposal) throw notFound();
  return { user, proposal };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await loadProposal(request, params.proposalId ?? "");
  const db = getDb();
  const [input, organisation, evidence] = await Promise.all([
    getOwnSpecialistInput(db, user.id, proposal.id),
    getOrganisation(db, proposal.organisation_id),
    getProposalEvidence(db, user, proposal.id),
  ]);
  return json({
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      title: proposal.title,
      status: proposal.status,
      statusLabel: STATUS_LABELS[proposal.status],
      amount: proposal.amount_requested_pence === null ? "–" : formatPence(proposal.amount_requested_pence),
      organisationName: organisation?.name ?? "",
    },
    content: contentOf(proposal),
    evidence: evidenceView(evidence),
    isOpen: SCORABLE_STATUSES.includes(proposal.status),
    values: { feasibility: input?.feasibility ?? "", costRealism: input?.cost_realism ?? "", risks: input?.risks ?? "" },
    updatedOn: input ? formatDate(input.updated_at) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, proposal } = await loadProposal(request, params.proposalId ?? "");
  return submitForm(form, SpecialistInputSchema, async (data) => {
    await saveSpecialistInput(getDb(), user, proposal.id, data);
    return redirect(`/adviser/proposals/${proposal.id}?saved=1`);
  });
}

export default function AdviserProposal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? data.values;
  return (
    <div>
      <ErrorSummary errors={errors} />
      {search.get("saved") && !errors ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <p>
        <Link to="/adviser">{copy.back}</Link>
      </p>
      <p className="mb-1 text-slate-700">{data.proposal.reference}</p>
      <h1 className="break-words">{data.proposal.title}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[auto_1fr]">
        <dt className="font-semibold">{copy.applicant}</dt>
        <dd className="mb-2">{data.proposal.organisationName}</dd>
        <dt className="font-semibold">{copy.amount}</dt>
        <dd className="mb-2">{data.proposal.amount}</dd>
        <dt className="font-semibold">{copy.status}</dt>
        <dd className="mb-2">
          <ProposalStatusTag status={data.proposal.status} label={data.proposal.statusLabel} />
        </dd>
      </dl>

      <section aria-labelledby="your-input" className="max-w-3xl">
        <h2 id="your-input">{copy.yourInput}</h2>
        <p>{copy.intro}</p>
        {data.updatedOn ? <p>{copy.updatedOn(data.updatedOn)}</p> : null}
        {data.isOpen ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <TextareaField
              name="feasibility"
              label={copy.feasibility}
              hint={copy.feasibilityHint}
              defaultValue={values.feasibility}
              error={errors?.feasibility}
            />
            <TextareaField
              name="costRealism"
              label={copy.costRealism}
              hint={copy.costRealismHint}
              defaultValue={values.costRealism}
              error={errors?.costRealism}
            />
            <TextareaField name="risks" label={copy.risks} hint={copy.risksHint} defaultValue={values.risks} error={errors?.risks} />
            <button type="submit" className="btn">
              {copy.save}
            </button>
          </Form>
        ) : (
          <p>{copy.notOpen(data.proposal.statusLabel)}</p>
        )}
      </section>

      <section aria-labelledby="content">
        <h2 id="content">{copy.proposal}</h2>
        <ProposalView content={data.content} headingLevel={3} />
      </section>

      <ProposalEvidence evidence={data.evidence} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
