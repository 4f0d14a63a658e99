import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup, SelectField, TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import {
  AWARD_STAGE_LABELS,
  AWARD_STATUS_LABELS,
  awardNextStep,
  awardStage,
  CONDITION_STATUS_LABELS,
  formatMinutes,
  SUPPORT_KIND_LABELS,
  SUPPORT_STATUS_LABELS,
} from "~/domain/award";
import { formatBytes } from "~/domain/file-type";
import { SupportSchema } from "~/domain/forms/support";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { findAwardFor, getAwardOverview, listSupport } from "~/models/award.server";
import { logSupport, signOffCondition } from "~/services/awards.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { EntityHistory } from "~/components/entity-history";
import { listAuditEvents } from "~/models/audit.server";

const copy = {
  title: (reference: string) => `Award ${reference}`,
  back: "All awards",
  organisation: "Organisation",
  project: "Project",
  group: "Decision group",
  amount: "Amount",
  status: "Status",
  stage: "Where it is",
  offered: "Offered on",
  signatory: "Accepted by",
  declineReason: "Reason for declining",
  next: "Next step",
  offerLetter: "Offer letter",
  proposal: "Proposal",
  history: "Award history in the audit trail",
  proposalHistory: "Proposal history in the audit trail",
  conditions: "Conditions",
  noConditions: "This award has no conditions.",
  conditionsCaption: "Conditions of this award",
  condition: "Condition",
  evidence: "Evidence",
  action: "Action",
  noEvidence: "None yet",
  signOff: "Sign off",
  signOffLabel: (text: string) => `Sign off: ${text}`,
  signedOff: (name: string, date: string) => `Signed off by ${name} on ${date}`,
  support: "Development support",
  supportIntro: "Record the support offered to the group and the support given: meetings, advice, referrals and time spent.",
  supportCaption: "Support offered and given",
  supportNone: "No support recorded yet.",
  supportTotal: (time: string) => `Time given in total: ${time}.`,
  date: "Date",
  kind: "Kind",
  description: "Description",
  time: "Time",
  recordedBy: "Recorded by",
  addSupport: "Record support",
  kindLabel: "Kind of support",
  statusLabel: "Offered or given?",
  descriptionLabel: "What was offered or given",
  minutesLabel: "Time, in minutes",
  minutesHint: "For example 90 for an hour and a half. Enter 0 if none yet.",
  occurredLabel: "Date",
  occurredHint: "For example 2027-03-14.",
  save: "Record support",
  saved: {
    created: "The offer has been made. The group has been told and can read the offer letter.",
    signedOff: "The condition is signed off. The group has been told.",
    support: "The support has been recorded.",
  },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? copy.title(data.award.reference) : "Award"} – Community Grant Decisions` }];

async function adminAward(request: Request, awardId: string | undefined) {
  const admin = await requirePermission(request, "admin.access");
  const award = await findAwardFor(getDb(), admin, awardId ?? "");
  if (!award) throw notFound("We could not find that award.");
  return { admin, award };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award } = await adminAward(request, params.awardId);
  const db = getDb();
  const [overview, support, history] = await Promise.all([
    getAwardOverview(db, award),
    listSupport(db, award.id),
    listAuditEvents(db, { entityType: "award", entityId: award.id }, 1, 20),
  ]);
  return json({
    history,
    award: {
      id: award.id,
      reference: award.reference,
      proposalId: award.proposal_id,
      proposalReference: award.proposal_reference,
      projectTitle: award.proposal_title,
      organisationName: award.organisation_name,
      groupName: award.decision_group_name,
      fundName: award.fund_name,
      amount: formatPence(award.amount_pence),
      status: award.status,
      statusLabel: AWARD_STATUS_LABELS[award.status],
      offered: formatDate(award.offered_at),
      signatory: award.accepted_at ? `${award.signatory_name ?? ""} (${award.signatory_role ?? ""}), ${formatDate(award.accepted_at)}` : null,
      declineReason: award.decline_reason,
    },
    stageLabel: AWARD_STAGE_LABELS[awardStage(overview.facts)],
    nextStep: awardNextStep(overview.facts, "admin", formatDate),
    conditions: overview.conditions.map((c) => ({
      id: c.id,
      text: c.text,
      status: c.status,
      statusLabel: CONDITION_STATUS_LABELS[c.status],
      evidenceNote: c.evidence_note,
      signedOff: c.signed_off_at ? copy.signedOff(c.signed_off_by_name ?? "", formatDate(c.signed_off_at)) : null,
      files: overview.files.filter((f) => f.condition_id === c.id).map((f) => ({ id: f.id, name: f.original_name, size: formatBytes(f.size_bytes) })),
    })),
    support: support.map((s) => ({
      id: s.id,
      date: formatDate(s.occurred_on),
      kind: SUPPORT_KIND_LABELS[s.kind],
      status: SUPPORT_STATUS_LABELS[s.status],
      description: s.description,
      time: formatMinutes(s.minutes),
      recordedBy: s.recorded_by_name,
    })),
    supportTotal: formatMinutes(support.filter((s) => s.status === "given").reduce((sum, s) => sum + s.minutes, 0)),
  });
}

const SignOffSchema = z.object({ conditionId: z.string().min(1, "Choose a condition") });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { admin, award } = await adminAward(request, params.awardId);
  const db = getDb();
  const base = `/admin/awards/${award.id}`;
  const intent = form.get("intent");
  if (intent === "sign_off") {
    return submitForm(form, SignOffSchema, async (data) => {
      const belongs = await db
        .selectFrom("award_condition")
        .select("id")
        .where("id", "=", data.conditionId)
        .where("award_id", "=", award.id)
        .executeTakeFirst();
      if (!belongs) throw notFound("We could not find that condition.");
      await signOffCondition(db, admin, data.conditionId);
      return redirect(`${base}?saved=signedOff`);
    });
  }
  if (intent === "support") {
    return submitForm(form, SupportSchema, async (data) => {
      await logSupport(db, admin, award.id, data, data.submission);
      return redirect(`${base}?saved=support#support`);
    });
  }
  return formError({ form: "Choose what you want to do" });
}

export default function AdminAward() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const saved = search.get("saved");
  const notice = !errors && saved && saved in copy.saved ? copy.saved[saved as keyof typeof copy.saved] : null;
  const { award } = data;
  const auditLink = (type: string, id: string) => `/admin/audit?${new URLSearchParams({ entityType: type, entityId: id })}`;
  return (
    <div className="max-w-4xl">
      <p>
        <Link to="/admin/awards">{copy.back}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {notice ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <h1>{copy.title(award.reference)}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.organisation}</dt>
        <dd>{award.organisationName}</dd>
        <dt className="font-semibold">{copy.project}</dt>
        <dd>
          {award.projectTitle} ({award.proposalReference})
        </dd>
        <dt className="font-semibold">{copy.group}</dt>
        <dd>
          {award.groupName} ({award.fundName})
        </dd>
        <dt className="font-semibold">{copy.amount}</dt>
        <dd>{award.amount}</dd>
        <dt className="font-semibold">{copy.status}</dt>
        <dd>{award.statusLabel}</dd>
        <dt className="font-semibold">{copy.stage}</dt>
        <dd>{data.stageLabel}</dd>
        <dt className="font-semibold">{copy.offered}</dt>
        <dd>{award.offered}</dd>
        {award.signatory ? (
          <>
            <dt className="font-semibold">{copy.signatory}</dt>
            <dd>{award.signatory}</dd>
          </>
        ) : null}
        {award.declineReason ? (
          <>
            <dt className="font-semibold">{copy.declineReason}</dt>
            <dd>{award.declineReason}</dd>
          </>
        ) : null}
      </dl>
      <section className="panel mb-6" aria-labelledby="next-heading">
        <h2 id="next-heading">{copy.next}</h2>
        <p>{data.nextStep}</p>
      </section>
      <ul className="mb-8 list-disc pl-6">
        <li>
          <Link to={`/awards/${award.id}/offer`}>{copy.offerLetter}</Link>
        </li>
        <li>
          <Link to={`/admin/proposals/${award.proposalId}`}>{copy.proposal}</Link>
        </li>
        <li>
          <Link to={auditLink("award", award.id)}>{copy.history}</Link>
        </li>
        <li>
          <Link to={auditLink("proposal", award.proposalId)}>{copy.proposalHistory}</Link>
        </li>
      </ul>

      <h2>{copy.conditions}</h2>
      {data.conditions.length ? (
        <DataTable caption={copy.conditionsCaption} columns={[copy.condition, copy.status, copy.evidence, copy.action]}>
          {data.conditions.map((c) => (
            <tr key={c.id}>
              <td>{c.text}</td>
              <td>{c.signedOff ?? c.statusLabel}</td>
              <td>
                {c.evidenceNote ?? copy.noEvidence}
                {c.files.length ? (
                  <ul>
                    {c.files.map((f) => (
                      <li key={f.id} className="break-all">
                        <a href={`/award-files/${f.id}`} download>
                          {f.name}
                        </a>{" "}
                        ({f.size})
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td>
                {c.status === "evidence_submitted" && award.status === "accepted" ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="sign_off" />
                    <input type="hidden" name="conditionId" value={c.id} />
                    <button type="submit" className="btn" aria-label={copy.signOffLabel(c.text)}>
                      {copy.signOff}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noConditions}</p>
      )}

      <h2 id="support" className="mt-8">
        {copy.support}
      </h2>
      <p>{copy.supportIntro}</p>
      {data.support.length ? (
        <>
          <p>{copy.supportTotal(data.supportTotal)}</p>
          <DataTable caption={copy.supportCaption} columns={[copy.date, copy.kind, copy.status, copy.description, copy.time, copy.recordedBy]}>
            {data.support.map((s) => (
              <tr key={s.id}>
                <td className="whitespace-nowrap">{s.date}</td>
                <td>{s.kind}</td>
                <td>{s.status}</td>
                <td className="whitespace-pre-line">{s.description}</td>
                <td className="whitespace-nowrap">{s.time}</td>
                <td>{s.recordedBy}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : (
        <p>{copy.supportNone}</p>
      )}
      <h3 className="mt-6">{copy.addSupport}</h3>
      <AddForm method="post" noValidate className="mb-8">
        <CsrfInput />
        <input type="hidden" name="intent" value="support" />
        <SelectField
          name="kind"
          label={copy.kindLabel}
          defaultValue={values.kind}
          error={errors?.kind}
          options={Object.entries(SUPPORT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <RadioGroup
          name="status"
          label={copy.statusLabel}
          defaultValue={values.status}
          error={errors?.status}
          options={Object.entries(SUPPORT_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TextareaField name="description" label={copy.descriptionLabel} defaultValue={values.description} error={errors?.description} rows={3} />
        <TextField
          name="minutes"
          label={copy.minutesLabel}
          hint={copy.minutesHint}
          inputMode="numeric"
          defaultValue={values.minutes}
          error={errors?.minutes}
          className="max-w-[10ch]"
        />
        <TextField
          name="occurredOn"
          label={copy.occurredLabel}
          hint={copy.occurredHint}
          type="date"
          defaultValue={values.occurredOn}
          error={errors?.occurredOn}
          className="max-w-[20ch]"
        />
        <button type="submit" className="btn">
          {copy.save}
        </button>
      </AddForm>
      <p className="mt-8">
        <Link to={`/admin/awards/${data.award.id}/reports`}>Monitoring reports</Link> ·{" "}
        <Link to={`/admin/awards/${data.award.id}/variations`}>Changes to the award</Link> ·{" "}
        <Link to={`/admin/awards/${data.award.id}/close`}>Close or withdraw the award</Link>
      </p>
      <p>
        <Link to={`/admin/awards/${data.award.id}/payments`}>Payment schedule and payments</Link>
      </p>
      <EntityHistory events={data.history.rows} total={data.history.total} entityType="award" entityId={data.award.id} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
