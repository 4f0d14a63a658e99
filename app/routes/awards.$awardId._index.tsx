import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, type UploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { AWARD_STAGE_LABELS, AWARD_STATUS_LABELS, awardStage, CONDITION_STATUS_LABELS } from "~/domain/award";
import { nextStep } from "~/domain/next-step";
import { formatBytes, MAX_ATTACHMENT_BYTES } from "~/domain/file-type";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { findAwardFor, getAwardOverview } from "~/models/award.server";
import { TOO_LARGE } from "~/services/attachments.server";
import { acceptAward, declineAward, submitConditionEvidence } from "~/services/awards.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (reference: string) => `Your award ${reference}`,
  amount: "Amount awarded",
  status: "Status",
  stage: "Where it is",
  nextPayment: "Next payment",
  nextPaymentLine: (amount: string, date: string) => `${amount}, due on ${date}`,
  nextReport: "Next report due",
  next: "What happens next",
  offerLetter: "Read and print the offer letter",
  accept: "Accept the offer",
  acceptIntro: "Accepting means your group agrees to the conditions in the offer letter. The person who accepts must be allowed to sign for your group.",
  signatoryName: "Full name of the authorised signatory",
  signatoryRole: "Their role in your group",
  signatoryRoleHint: "For example chair, treasurer or secretary.",
  acceptButton: "Accept the offer",
  decline: "Decline the offer",
  reason: "Why is your group declining?",
  reasonHint: "The fund will read this. It helps them offer the money to another project.",
  declineButton: "Decline the offer",
  accepted: (name: string, role: string, date: string) => `Accepted on ${date} by ${name} (${role}).`,
  declined: (date: string, reason: string) => `Declined on ${date}. Reason: ${reason}`,
  conditions: "Conditions",
  noConditions: "This award has no conditions.",
  conditionsIntro: "We cannot pay any money until every condition is met. Send evidence for each one. The fund administrator then signs it off.",
  evidenceFor: (text: string) => `Evidence for: ${text}`,
  note: "Describe your evidence",
  noteHint: "For example: two quotes attached, from Smith Roofing and Avon Builders.",
  file: "Attach a file (optional)",
  fileHint: "PDF, JPEG, PNG or Word (.docx), up to 10 MB.",
  sendEvidence: "Send evidence",
  yourEvidence: "Your evidence",
  payments: "Payments received",
  noPayments: "No payments yet.",
  paidTotal: (paid: string, of: string) => `${paid} received of ${of}.`,
  paymentsCaption: "Payments received for this award",
  date: "Date",
  reference: "Reference",
  reports: "Reports due",
  noReports: "We will agree the dates for your reports with you.",
  reportsCaption: "Monitoring reports for this award",
  kind: "Report",
  due: "Due",
  report: { progress: "Progress report", final: "Final report" },
  reportStatus: { due: "Due", submitted: "Sent, waiting to be checked", approved: "Approved", more_requested: "More information asked for" },
  refine: "Refine your proposal",
  refineIntro: "Now that you have accepted the offer, you can update your proposal. We keep every version.",
  saved: {
    accepted: "Thank you. You have accepted the offer.",
    declined: "You have declined the offer. The fund has been told.",
    evidence: "Your evidence has been sent to the fund administrator.",
  },
  noFileName: "Describe your evidence",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? copy.title(data.award.reference) : "Award"} – Community Grant Decisions` }];

async function awardFromRequest(request: Request, awardId: string | undefined) {
  const user = await requireUser(request);
  const award = await findAwardFor(getDb(), user, awardId ?? "");
  if (!award) throw notFound("We could not find that award.");
  return { user, award };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { award } = await awardFromRequest(request, params.awardId);
  const overview = await getAwardOverview(getDb(), award);
  const stage = awardStage(overview.facts);
  return json({
    award: {
      id: award.id,
      reference: award.reference,
      status: award.status,
      statusLabel: AWARD_STATUS_LABELS[award.status],
      amount: formatPence(award.amount_pence),
      projectTitle: award.proposal_title,
      organisationName: award.organisation_name,
      accepted: award.accepted_at ? copy.accepted(award.signatory_name ?? "", award.signatory_role ?? "", formatDate(award.accepted_at)) : null,
      declined: award.declined_at ? copy.declined(formatDate(award.declined_at), award.decline_reason ?? "") : null,
    },
    stageLabel: AWARD_STAGE_LABELS[stage],
    // The report date has its own line below, so only the step itself.
    nextStep: nextStep({ proposalStatus: "funded", award: overview.facts, formatDate }).step,
    nextPayment: overview.nextInstalment
      ? copy.nextPaymentLine(formatPence(overview.nextInstalment.amount_pence), formatDate(overview.nextInstalment.due_on))
      : null,
    nextReport: overview.nextReport ? formatDate(overview.nextReport.due_on) : null,
    conditions: overview.conditions.map((c) => ({
      id: c.id,
      text: c.text,
      status: c.status,
      statusLabel: CONDITION_STATUS_LABELS[c.status],
      evidenceNote: c.evidence_note,
      files: overview.files.filter((f) => f.condition_id === c.id).map((f) => ({ id: f.id, name: f.original_name, size: formatBytes(f.size_bytes) })),
    })),
    payments: overview.payments.map((p) => ({ id: p.id, date: formatDate(p.paid_on), amount: formatPence(p.amount_pence), reference: p.reference })),
    paidTotal: copy.paidTotal(formatPence(overview.paidPence), formatPence(award.amount_pence)),
    reports: overview.reports.map((r) => ({ id: r.id, kind: r.kind, due: formatDate(r.due_on), status: r.status })),
  });
}

const FIELDS = new Set(["intent", "conditionId", "note", "file", "signatoryName", "signatoryRole", "reason"]);

/** At most one file of 10 MB and a few small fields in memory; anything else is refused. */
function uploadHandler(): UploadHandler {
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES });
  let parts = 0;
  return (part) => {
    parts += 1;
    if (parts > FIELDS.size || !FIELDS.has(part.name) || (part.filename !== undefined && part.name !== "file")) {
      throw new Error(`Unexpected form part: ${part.name}`);
    }
    return memory(part);
  };
}

const AcceptSchema = z.object({
  signatoryName: z.string().trim().min(1, "Enter the name of the person signing for your group").max(200, "The name must be 200 characters or fewer"),
  signatoryRole: z
    .string()
    .trim()
    .min(1, "Enter the signatory's role in your group, for example chair or treasurer")
    .max(100, "The role must be 100 characters or fewer"),
});
const DeclineSchema = z.object({
  reason: z.string().trim().min(1, "Tell us why your group is declining the offer").max(5000, "The reason must be 5,000 characters or fewer"),
});
const EvidenceSchema = z.object({
  conditionId: z.string().min(1, "Choose a condition"),
  note: z.string().trim().min(1, "Describe the evidence you are sending for this condition").max(5000, "The note must be 5,000 characters or fewer"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, uploadHandler());
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      await awardFromRequest(request, params.awardId);
      return formError({ file: TOO_LARGE });
    }
    throw error;
  }
  const { user, award } = await awardFromRequest(request, params.awardId);
  const db = getDb();
  const base = `/awards/${award.id}`;
  const intent = form.get("intent");

  if (intent === "accept") {
    return submitForm(
      form,
      AcceptSchema,
      async (data) => {
        await acceptAward(db, user, award.id, data);
        return redirect(`${base}?saved=accepted`);
      },
      { values: { intent: "accept" } },
    );
  }
  if (intent === "decline") {
    return submitForm(
      form,
      DeclineSchema,
      async (data) => {
        await declineAward(db, user, award.id, data.reason);
        return redirect(`${base}?saved=declined`);
      },
      { values: { intent: "decline" } },
    );
  }
  if (intent === "evidence") {
    return submitForm(
      form,
      EvidenceSchema,
      async (data) => {
        const file = form.get("file");
        const upload = file instanceof File && file.size > 0 ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
        // The condition must be this award's: the service checks the actor may act on the condition's award.
        const belongs = await db
          .selectFrom("award_condition")
          .select("id")
          .where("id", "=", data.conditionId)
          .where("award_id", "=", award.id)
          .executeTakeFirst();
        if (!belongs) throw notFound("We could not find that condition.");
        await submitConditionEvidence(db, user, data.conditionId, { note: data.note, file: upload });
        return redirect(`${base}?saved=evidence`);
      },
      { values: { intent: "evidence" } },
    );
  }
  return formError({ form: "Choose what you want to do" });
}

export default function AwardPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const saved = search.get("saved");
  const notice = !errors && saved && saved in copy.saved ? copy.saved[saved as keyof typeof copy.saved] : null;
  const { award } = data;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {notice ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {award.organisationName} · {award.projectTitle}
      </p>
      <h1>{copy.title(award.reference)}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.amount}</dt>
        <dd>{award.amount}</dd>
        <dt className="font-semibold">{copy.status}</dt>
        <dd>{award.statusLabel}</dd>
        <dt className="font-semibold">{copy.stage}</dt>
        <dd>{data.stageLabel}</dd>
        {data.nextPayment ? (
          <>
            <dt className="font-semibold">{copy.nextPayment}</dt>
            <dd>{data.nextPayment}</dd>
          </>
        ) : null}
        {data.nextReport ? (
          <>
            <dt className="font-semibold">{copy.nextReport}</dt>
            <dd>{data.nextReport}</dd>
          </>
        ) : null}
      </dl>
      <section className="panel mb-6" aria-labelledby="next-heading">
        <h2 id="next-heading">{copy.next}</h2>
        <p>{data.nextStep}</p>
        {award.accepted ? <p>{award.accepted}</p> : null}
        {award.declined ? <p>{award.declined}</p> : null}
      </section>
      <p>
        <Link to={`/awards/${award.id}/offer`}>{copy.offerLetter}</Link>
      </p>

      {award.status === "offered" ? (
        <>
          <h2>{copy.accept}</h2>
          <p>{copy.acceptIntro}</p>
          <Form method="post" noValidate className="mb-8">
            <CsrfInput />
            <input type="hidden" name="intent" value="accept" />
            <TextField
              name="signatoryName"
              label={copy.signatoryName}
              autoComplete="name"
              defaultValue={values.intent === "accept" ? values.signatoryName : undefined}
              error={values.intent === "accept" ? errors?.signatoryName : undefined}
            />
            <TextField
              name="signatoryRole"
              label={copy.signatoryRole}
              hint={copy.signatoryRoleHint}
              defaultValue={values.intent === "accept" ? values.signatoryRole : undefined}
              error={values.intent === "accept" ? errors?.signatoryRole : undefined}
            />
            <button type="submit" className="btn">
              {copy.acceptButton}
            </button>
          </Form>
          <h2>{copy.decline}</h2>
          <Form method="post" noValidate className="mb-8">
            <CsrfInput />
            <input type="hidden" name="intent" value="decline" />
            <TextareaField
              name="reason"
              label={copy.reason}
              hint={copy.reasonHint}
              defaultValue={values.intent === "decline" ? values.reason : undefined}
              error={values.intent === "decline" ? errors?.reason : undefined}
            />
            <button type="submit" className="btn-warning">
              {copy.declineButton}
            </button>
          </Form>
        </>
      ) : null}

      <h2>{copy.conditions}</h2>
      {data.conditions.length ? <p>{copy.conditionsIntro}</p> : <p>{copy.noConditions}</p>}
      <ol className="mb-8 space-y-4">
        {data.conditions.map((c) => {
          const isThis = values.intent === "evidence" && values.conditionId === c.id;
          return (
            <li key={c.id} className="panel">
              <p className="font-semibold">{c.text}</p>
              <p>{c.statusLabel}</p>
              {c.evidenceNote ? (
                <p>
                  <span className="font-semibold">{copy.yourEvidence}: </span>
                  {c.evidenceNote}
                </p>
              ) : null}
              {c.files.length ? (
                <ul className="mb-2">
                  {c.files.map((f) => (
                    <li key={f.id}>
                      <a href={`/award-files/${f.id}`} download>
                        {f.name}
                      </a>{" "}
                      ({f.size})
                    </li>
                  ))}
                </ul>
              ) : null}
              {award.status === "accepted" && c.status !== "met" ? (
                <AddForm method="post" encType="multipart/form-data" noValidate aria-label={copy.evidenceFor(c.text)}>
                  {/* The token must come before the file, so a forged upload is refused before the file is read. */}
                  <CsrfInput />
                  <input type="hidden" name="intent" value="evidence" />
                  <input type="hidden" name="conditionId" value={c.id} />
                  <div className={`mb-4 ${isThis && errors?.note ? "border-l-4 border-red-700 pl-3" : ""}`}>
                    <label htmlFor={isThis ? "note" : `note-${c.id}`} className="mb-1 block font-semibold">
                      {copy.note}
                    </label>
                    <p id={`note-${c.id}-hint`} className="mb-1 text-slate-700">
                      {copy.noteHint}
                    </p>
                    {isThis && errors?.note ? (
                      <p id={`note-${c.id}-error`} className="mb-1 font-semibold text-red-800">
                        <span className="sr-only">Error: </span>
                        {errors.note}
                      </p>
                    ) : null}
                    <textarea
                      id={isThis ? "note" : `note-${c.id}`}
                      name="note"
                      rows={3}
                      defaultValue={isThis ? values.note : undefined}
                      aria-describedby={isThis && errors?.note ? `note-${c.id}-hint note-${c.id}-error` : `note-${c.id}-hint`}
                      aria-invalid={isThis && errors?.note ? true : undefined}
                      className={`input ${isThis && errors?.note ? "input-error" : ""}`}
                    />
                  </div>
                  <div className="mb-4">
                    <label htmlFor={isThis ? "file" : `file-${c.id}`} className="mb-1 block font-semibold">
                      {copy.file}
                    </label>
                    <p id={`file-${c.id}-hint`} className="mb-1 text-slate-700">
                      {copy.fileHint}
                    </p>
                    {isThis && errors?.file ? (
                      <p className="mb-1 font-semibold text-red-800">
                        <span className="sr-only">Error: </span>
                        {errors.file}
                      </p>
                    ) : null}
                    <input
                      id={isThis ? "file" : `file-${c.id}`}
                      name="file"
                      type="file"
                      accept=".pdf,.jpg,.jpeg,.png,.docx"
                      aria-describedby={`file-${c.id}-hint`}
                      className="block w-full max-w-xl"
                    />
                  </div>
                  <button type="submit" className="btn">
                    {copy.sendEvidence}
                  </button>
                </AddForm>
              ) : null}
            </li>
          );
        })}
      </ol>

      <h2>{copy.payments}</h2>
      <p>{data.paidTotal}</p>
      {data.payments.length ? (
        <DataTable caption={copy.paymentsCaption} columns={[copy.date, copy.amount, copy.reference]}>
          {data.payments.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">{p.date}</td>
              <td>{p.amount}</td>
              <td className="break-all">{p.reference}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noPayments}</p>
      )}

      <h2 className="mt-8">{copy.reports}</h2>
      {data.reports.length ? (
        <DataTable caption={copy.reportsCaption} columns={[copy.kind, copy.due, copy.status]}>
          {data.reports.map((r) => (
            <tr key={r.id}>
              <td>{copy.report[r.kind]}</td>
              <td className="whitespace-nowrap">{r.due}</td>
              <td>{copy.reportStatus[r.status]}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noReports}</p>
      )}

      {award.status === "accepted" ? (
        <section className="mt-8">
          <h2>{copy.refine}</h2>
          <p>{copy.refineIntro}</p>
          <p>
            <Link to={`/awards/${award.id}/refine`}>{copy.refine}</Link>
          </p>
        </section>
      ) : null}
      <p className="mt-8">
        <Link to={`/awards/${award.id}/reports`}>Your monitoring reports</Link> · <Link to={`/awards/${award.id}/variations`}>Ask to change your grant</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
