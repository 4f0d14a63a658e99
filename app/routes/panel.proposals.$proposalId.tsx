import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireDeclaredPanelMember } from "~/auth/panel-guards.server";
import type { SessionUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { EVIDENCE_LINKS, evidenceView, ProposalEvidence } from "~/components/proposal-evidence";
import { ProposalView } from "~/components/proposal-view";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { ProposalInterestSchema, QuestionSchema, RELATIONSHIP_LABELS, RELATIONSHIPS, scoreSheetSchema } from "~/domain/forms/panel";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { CONSTITUENCY_LABELS } from "~/domain/roles";
import { commentField, markField, maximumTotal, OVERALL_FIELD, weightedTotal } from "~/domain/score-sheet";
import { listCriteria } from "~/models/fund.server";
import { getProposalEvidence } from "~/models/proposal-evidence.server";
import { contentOf } from "~/models/proposal.server";
import {
  findPanelProposal,
  getOwnSheet,
  isInPanelGroup,
  listOtherSubmittedSheets,
  listQuestions,
  listSpecialistInput,
  SCORABLE_STATUSES,
} from "~/models/scoring.server";
import { addProposalInterest } from "~/services/interests.server";
import { askQuestion } from "~/services/questions.server";
import { saveScoreSheet } from "~/services/scoring.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData, FormValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";
import { scrollRegion } from "~/components/ui/data-table";
import { ProposalStatusTag } from "~/components/ui/status-tag";

const copy = {
  recused: "You have declared an interest in this proposal, so you take no part in scoring it and cannot see the panel's scores or input on it.",
  onThisPage: "On this page",
  proposal: "The proposal",
  scoring: "Your scores",
  others: "The panel's scores",
  input: "Specialist input",
  questions: "Questions to the applicant",
  declare: "Declare an interest in this proposal",
  applicant: "Community group",
  group: "Decision group",
  status: "Status",
  amount: "Amount requested",
  saved: "Your draft scores have been saved. You can come back and finish them at any time before you submit.",
  submitted: "Your scores have been submitted. You can now see the other members' scores.",
  asked: "Your question has been sent to the applicant. Their answer will appear here.",
  scoringIntro: (max: number) =>
    `Score each criterion from 0 to ${max}, using the guidance for each score. Save a draft at any time. When you submit, your scores are locked and you will see the other members' scores.`,
  weight: (n: number) => `weight ×${n}`,
  guidance: "What each score means",
  markLabel: (n: number, band: string) => (band ? `${n}: ${band}` : String(n)),
  comment: (name: string) => `Your comment on ${name} (optional)`,
  overall: "Overall comment (optional)",
  overallHint: "Anything the panel should know about your view of the proposal as a whole.",
  saveDraft: "Save draft",
  submit: "Submit scores",
  submitHint: "You must score every criterion before you submit. You cannot change your scores after submitting unless the fund administrator reopens them.",
  noCriteria: "This fund has no scoring criteria yet. Ask the fund administrator.",
  notScorable: (status: string) => `This proposal is "${status}", so it is no longer scored.`,
  closed: (date: string) => `Scoring closed on ${date}. Scores can no longer be changed.`,
  yourSubmitted: (date: string) => `You submitted your scores on ${date}. They are locked.`,
  yourCaption: "Your submitted scores",
  criterion: "Criterion",
  mark: "Score",
  commentCol: "Comment",
  weightedTotal: "Weighted total",
  totalOf: (total: number, max: number) => `${total} out of ${max}`,
  overallComment: "Overall comment",
  othersHidden: "The other members' scores are hidden until you submit your own, so that everyone scores independently.",
  othersNone: "No other member has submitted scores for this proposal yet.",
  othersCaption: "Each member's scores for each criterion, and their weighted total",
  member: "Member",
  membersComments: "Members' comments",
  noInput: "No specialist adviser has written input on this proposal yet.",
  feasibility: "Feasibility",
  costRealism: "Cost realism",
  risks: "Risks",
  byAdviser: (name: string, date: string) => `By ${name}, updated ${date}`,
  noQuestions: "No questions have been asked yet.",
  askedBy: (name: string, date: string) => `Asked by ${name} on ${date}`,
  answered: (date: string) => `Answered on ${date}`,
  notAnswered: "Not answered yet.",
  question: "Your question for the applicant",
  questionHint: "The applicant group will be told and can answer on their proposal's page. They will not see your name.",
  ask: "Send question",
  declareIntro:
    "If you have a connection to this proposal that you have not declared, declare it here. You will then take no part in scoring, discussing or voting on it, and it leaves your queue.",
  relationship: "How are you connected?",
  isPecuniary: "Is it a financial (pecuniary) interest?",
  yes: "Yes, it is financial",
  no: "No",
  details: "What is your interest?",
  declareButton: "Declare interest and step back from this proposal",
};

type Intent = "save" | "submit" | "ask" | "declare";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.proposal.reference ?? "Proposal"} ${data?.proposal.title ?? ""} – Score – Community Grant Decisions` },
];

/** The proposal, with recusal in the query; 403 when the member is recused, 404 when it is not theirs to see. */
async function loadProposal(user: SessionUser, proposalId: string) {
  const db = getDb();
  const proposal = await findPanelProposal(db, user, proposalId);
  if (proposal) return proposal;
  if (await isInPanelGroup(db, user.decisionGroupId, proposalId)) throw forbidden(copy.recused);
  throw notFound();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireDeclaredPanelMember(request);
  const proposal = await loadProposal(user, params.proposalId ?? "");
  const db = getDb();
  const [criteria, sheet, input, questions, evidence] = await Promise.all([
    listCriteria(db, proposal.fundId),
    getOwnSheet(db, user.id, proposal.id),
    listSpecialistInput(db, proposal.id),
    listQuestions(db, proposal.id),
    getProposalEvidence(db, user, proposal.id),
  ]);
  const isSubmitted = Boolean(sheet?.submitted_at);
  // Independence: others' scores only once the member's own are in, or scoring has closed (scores.read; recusal is in the query).
  const canSeeOthers = can(user, "scores.read", {
    type: "scores",
    decisionGroupId: proposal.decision_group_id,
    scoringClosed: proposal.scoring_closed_at !== null,
    hasSubmittedOwnSheet: isSubmitted,
    isRecused: false,
  });
  const others = canSeeOthers ? await listOtherSubmittedSheets(db, proposal.id, user.id) : [];
  const marksOf = (scores: { criterion_id: string; mark: number }[]) => Object.fromEntries(scores.map((s) => [s.criterion_id, s.mark]));
  const ownMarks = marksOf(sheet?.scores ?? []);
  const sheetValues: FormValues = { [OVERALL_FIELD]: sheet?.overall_comment ?? "" };
  for (const s of sheet?.scores ?? []) {
    sheetValues[markField(s.criterion_id)] = String(s.mark);
    sheetValues[commentField(s.criterion_id)] = s.comment;
  }
  return json({
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      title: proposal.title,
      status: proposal.status,
      statusLabel: STATUS_LABELS[proposal.status],
      organisationName: proposal.organisationName,
      groupName: `${proposal.groupName} (${proposal.fundName})`,
      amount: proposal.amount_requested_pence === null ? "–" : formatPence(proposal.amount_requested_pence),
    },
    content: contentOf(proposal),
    evidence: evidenceView(evidence),
    scaleMax: proposal.score_scale_max,
    maxTotal: maximumTotal(criteria, proposal.score_scale_max),
    criteria: criteria.map((c) => ({ id: c.id, name: c.name, weight: c.weight, guidance: c.guidance })),
    isScorable: SCORABLE_STATUSES.includes(proposal.status) && !proposal.scoring_closed_at,
    closedOn: proposal.scoring_closed_at ? formatDate(proposal.scoring_closed_at) : null,
    sheet: sheet
      ? {
          submittedOn: sheet.submitted_at ? formatDate(sheet.submitted_at) : null,
          overall: sheet.overall_comment,
          scores: sheet.scores.map((s) => ({ criterionId: s.criterion_id, mark: s.mark, comment: s.comment })),
          total: weightedTotal(criteria, ownMarks),
        }
      : null,
    sheetValues,
    canSeeOthers,
    others: others.map((o) => ({
      id: o.id,
      name: o.name,
      constituency: o.constituency ? CONSTITUENCY_LABELS[o.constituency] : null,
      overall: o.overall_comment,
      marks: marksOf(o.scores),
      comments: o.scores.filter((s) => s.comment).map((s) => ({ criterionId: s.criterion_id, comment: s.comment })),
      total: weightedTotal(criteria, marksOf(o.scores)),
    })),
    input: input.map((i) => ({
      id: i.id,
      feasibility: i.feasibility,
      costRealism: i.cost_realism,
      risks: i.risks,
      by: copy.byAdviser(i.adviserName, formatDate(i.updated_at)),
    })),
    questions: questions.map((q) => ({
      id: q.id,
      body: q.body,
      asked: copy.askedBy(q.askerName, formatDate(q.asked_at)),
      answer: q.answer,
      answered: q.answered_at ? copy.answered(formatDate(q.answered_at)) : null,
    })),
    canAsk: SCORABLE_STATUSES.includes(proposal.status),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireDeclaredPanelMember(request);
  const proposal = await loadProposal(user, params.proposalId ?? "");
  const db = getDb();
  const raw = String(form.get("intent") ?? "save");
  const intent: Intent = raw === "submit" || raw === "ask" || raw === "declare" ? raw : "save";
  const base = `/panel/proposals/${proposal.id}`;

  if (intent === "ask") {
    return submitForm(form, QuestionSchema, async (data) => {
      await askQuestion(db, user, proposal.id, data.question, data.submission);
      return redirect(`${base}?done=asked#questions`);
    });
  }

  if (intent === "declare") {
    return submitForm(form, ProposalInterestSchema, async (data) => {
      await addProposalInterest(db, user, proposal.id, data);
      return redirect("/panel/interests?done=declared");
    });
  }

  const criteria = await listCriteria(db, proposal.fundId);
  return submitForm(
    form,
    scoreSheetSchema(criteria, proposal.score_scale_max, intent === "submit"),
    async (sheet) => {
      await saveScoreSheet(db, user, proposal.id, sheet, intent === "submit", sheet.submission);
      return redirect(`${base}?done=${intent === "submit" ? "submitted" : "saved"}${intent === "submit" ? "#others" : "#scoring"}`);
    },
    { values: { intent } },
  );
}

export default function ScoreProposal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const intent = actionData?.values?.intent;
  const sheetValues: FormValues = intent === "save" || intent === "submit" ? (actionData?.values ?? {}) : data.sheetValues;
  const askValues: FormValues = intent === "ask" ? (actionData?.values ?? {}) : {};
  const declareValues: FormValues = intent === "declare" ? (actionData?.values ?? {}) : {};
  const done = search.get("done");
  const notice = done === "saved" ? copy.saved : done === "submitted" ? copy.submitted : done === "asked" ? copy.asked : null;
  const { proposal } = data;
  const isLocked = Boolean(data.sheet?.submittedOn);
  const criterionName = (id: string) => data.criteria.find((c) => c.id === id)?.name ?? "";

  return (
    <div>
      <ErrorSummary errors={errors} />
      {notice && !errors ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">{proposal.reference}</p>
      <h1 className="break-words">{proposal.title}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 sm:grid-cols-[auto_1fr]">
        <dt className="font-semibold">{copy.applicant}</dt>
        <dd className="mb-2">{proposal.organisationName}</dd>
        <dt className="font-semibold">{copy.group}</dt>
        <dd className="mb-2">{proposal.groupName}</dd>
        <dt className="font-semibold">{copy.amount}</dt>
        <dd className="mb-2">{proposal.amount}</dd>
        <dt className="font-semibold">{copy.status}</dt>
        <dd className="mb-2">
          <ProposalStatusTag status={proposal.status} label={proposal.statusLabel} />
        </dd>
      </dl>

      <nav aria-labelledby="on-this-page" className="mb-6">
        <h2 id="on-this-page" className="mt-0 text-lg">
          {copy.onThisPage}
        </h2>
        <ul className="list-disc pl-6">
          <li>
            <a href="#content">{copy.proposal}</a>
          </li>
          {Object.values(EVIDENCE_LINKS).map((l) => (
            <li key={l.href}>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
          <li>
            <a href="#input">{copy.input}</a>
          </li>
          <li>
            <a href="#questions">{copy.questions}</a>
          </li>
          <li>
            <a href="#scoring">{copy.scoring}</a>
          </li>
          <li>
            <a href="#others">{copy.others}</a>
          </li>
          <li>
            <a href="#declare">{copy.declare}</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="content">
        <h2 id="content">{copy.proposal}</h2>
        <ProposalView content={data.content} headingLevel={3} />
      </section>

      <ProposalEvidence evidence={data.evidence} />

      <section aria-labelledby="input">
        <h2 id="input">{copy.input}</h2>
        {data.input.length ? (
          data.input.map((i) => (
            <div key={i.id} className="panel">
              <h3 className="mt-0 text-lg">{copy.feasibility}</h3>
              <p className="whitespace-pre-line break-words">{i.feasibility}</p>
              <h3 className="text-lg">{copy.costRealism}</h3>
              <p className="whitespace-pre-line break-words">{i.costRealism}</p>
              <h3 className="text-lg">{copy.risks}</h3>
              <p className="whitespace-pre-line break-words">{i.risks}</p>
              <p className="mb-0 text-sm text-slate-700">{i.by}</p>
            </div>
          ))
        ) : (
          <p>{copy.noInput}</p>
        )}
      </section>

      <section aria-labelledby="questions">
        <h2 id="questions">{copy.questions}</h2>
        {data.questions.length ? (
          <ul className="list-none space-y-4 pl-0">
            {data.questions.map((q) => (
              <li key={q.id} className="border-l-4 border-slate-400 pl-3">
                <p className="mb-1 whitespace-pre-line break-words font-semibold">{q.body}</p>
                <p className="mb-2 text-sm text-slate-700">{q.asked}</p>
                {q.answer !== null ? (
                  <>
                    <p className="mb-1 whitespace-pre-line break-words">{q.answer}</p>
                    <p className="mb-0 text-sm text-slate-700">{q.answered}</p>
                  </>
                ) : (
                  <p className="mb-0">{copy.notAnswered}</p>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>{copy.noQuestions}</p>
        )}
        {data.canAsk ? (
          <AddForm method="post" noValidate className="mt-6 max-w-2xl">
            <CsrfInput />
            <input type="hidden" name="intent" value="ask" />
            <TextareaField name="question" label={copy.question} hint={copy.questionHint} rows={3} defaultValue={askValues.question} error={errors?.question} />
            <button type="submit" className="btn-secondary">
              {copy.ask}
            </button>
          </AddForm>
        ) : null}
      </section>

      <section aria-labelledby="scoring">
        <h2 id="scoring">{copy.scoring}</h2>
        {data.closedOn ? <p className="panel">{copy.closed(data.closedOn)}</p> : null}
        {isLocked && data.sheet ? (
          <>
            <p className="font-semibold">{copy.yourSubmitted(data.sheet.submittedOn ?? "")}</p>
            <div {...scrollRegion(copy.yourCaption)}>
              <table className="table">
                <caption className="sr-only">{copy.yourCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{copy.criterion}</th>
                    <th scope="col">{copy.mark}</th>
                    <th scope="col">{copy.commentCol}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.criteria.map((c) => {
                    const s = data.sheet?.scores.find((x) => x.criterionId === c.id);
                    return (
                      <tr key={c.id}>
                        <th scope="row" className="font-normal">
                          {c.name} <span className="text-sm text-slate-700">({copy.weight(c.weight)})</span>
                        </th>
                        <td>{s ? `${s.mark} / ${data.scaleMax}` : "–"}</td>
                        <td className="whitespace-pre-line break-words">{s?.comment || "–"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {data.sheet.total !== null ? (
              <p>
                <strong>{copy.weightedTotal}:</strong> {copy.totalOf(data.sheet.total, data.maxTotal)}
              </p>
            ) : null}
            {data.sheet.overall ? (
              <>
                <h3 className="text-lg">{copy.overallComment}</h3>
                <p className="whitespace-pre-line break-words">{data.sheet.overall}</p>
              </>
            ) : null}
          </>
        ) : !data.isScorable ? (
          data.closedOn ? null : (
            <p>{copy.notScorable(proposal.statusLabel)}</p>
          )
        ) : data.criteria.length === 0 ? (
          <p>{copy.noCriteria}</p>
        ) : (
          <Form method="post" noValidate className="max-w-3xl">
            <CsrfInput />
            <p>{copy.scoringIntro(data.scaleMax)}</p>
            {data.criteria.map((c) => {
              const field = markField(c.id);
              const error = errors?.[field];
              const hasGuidance = c.guidance.some(Boolean);
              return (
                <fieldset
                  key={c.id}
                  className={`mb-8 border-b border-slate-300 pb-4 ${error ? "border-l-4 border-l-red-700 pl-3" : ""}`}
                  aria-describedby={[hasGuidance ? `${field}-hint` : null, error ? `${field}-error` : null].filter(Boolean).join(" ") || undefined}
                >
                  <legend className="mb-2 text-xl font-bold">
                    {c.name} <span className="text-base font-normal text-slate-700">({copy.weight(c.weight)})</span>
                  </legend>
                  {hasGuidance ? (
                    <p id={`${field}-hint`} className="sr-only">
                      {copy.guidance}
                    </p>
                  ) : null}
                  {error ? (
                    <p id={`${field}-error`} className="mb-1 font-semibold text-red-800">
                      <span className="sr-only">Error: </span>
                      {error}
                    </p>
                  ) : null}
                  {Array.from({ length: data.scaleMax + 1 }, (_, n) => {
                    const id = n === 0 ? field : `${field}-${n}`;
                    return (
                      <div key={n} className="my-2 flex items-start gap-2">
                        <input
                          type="radio"
                          id={id}
                          name={field}
                          value={String(n)}
                          defaultChecked={sheetValues[field] === String(n)}
                          className="mt-0.5 h-6 w-6 shrink-0"
                        />
                        <label htmlFor={id}>{copy.markLabel(n, c.guidance[n] ?? "")}</label>
                      </div>
                    );
                  })}
                  <TextareaField
                    name={commentField(c.id)}
                    label={copy.comment(c.name)}
                    rows={2}
                    defaultValue={sheetValues[commentField(c.id)]}
                    error={errors?.[commentField(c.id)]}
                  />
                </fieldset>
              );
            })}
            <TextareaField
              name={OVERALL_FIELD}
              label={copy.overall}
              hint={copy.overallHint}
              rows={4}
              defaultValue={sheetValues[OVERALL_FIELD]}
              error={errors?.[OVERALL_FIELD]}
            />
            <p className="text-slate-700">{copy.submitHint}</p>
            <div className="flex flex-wrap gap-4">
              <button type="submit" name="intent" value="save" className="btn-secondary">
                {copy.saveDraft}
              </button>
              <button type="submit" name="intent" value="submit" className="btn">
                {copy.submit}
              </button>
            </div>
          </Form>
        )}
      </section>

      <section aria-labelledby="others">
        <h2 id="others">{copy.others}</h2>
        {!data.canSeeOthers ? (
          <p>{copy.othersHidden}</p>
        ) : data.others.length === 0 ? (
          <p>{copy.othersNone}</p>
        ) : (
          <>
            <div {...scrollRegion(copy.othersCaption)}>
              <table className="table">
                <caption className="text-left">{copy.othersCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{copy.member}</th>
                    {data.criteria.map((c) => (
                      <th key={c.id} scope="col">
                        {c.name}
                      </th>
                    ))}
                    <th scope="col">{copy.weightedTotal}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.others.map((o) => (
                    <tr key={o.id}>
                      <th scope="row" className="font-normal">
                        {o.name}
                        {o.constituency ? <span className="block text-sm text-slate-700">{o.constituency}</span> : null}
                      </th>
                      {data.criteria.map((c) => (
                        <td key={c.id}>{o.marks[c.id] ?? "–"}</td>
                      ))}
                      <td>{o.total === null ? "–" : copy.totalOf(o.total, data.maxTotal)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3 className="text-lg">{copy.membersComments}</h3>
            <ul className="list-none space-y-4 pl-0">
              {data.others.map((o) => (
                <li key={o.id} className="border-l-4 border-slate-400 pl-3">
                  <p className="mb-1 font-semibold">{o.name}</p>
                  {o.comments.map((c) => (
                    <p key={c.criterionId} className="mb-1 whitespace-pre-line break-words">
                      <span className="font-semibold">{criterionName(c.criterionId)}:</span> {c.comment}
                    </p>
                  ))}
                  {o.overall ? (
                    <p className="mb-1 whitespace-pre-line break-words">
                      <span className="font-semibold">{copy.overallComment}:</span> {o.overall}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="declare">
        <h2 id="declare">{copy.declare}</h2>
        <p>{copy.declareIntro}</p>
        <Form method="post" noValidate className="max-w-2xl">
          <CsrfInput />
          <input type="hidden" name="intent" value="declare" />
          <RadioGroup
            name="relationship"
            label={copy.relationship}
            defaultValue={declareValues.relationship}
            error={errors?.relationship}
            options={RELATIONSHIPS.map((r) => ({ value: r, label: RELATIONSHIP_LABELS[r] }))}
          />
          <RadioGroup
            name="isPecuniary"
            label={copy.isPecuniary}
            defaultValue={declareValues.isPecuniary}
            error={errors?.isPecuniary}
            options={[
              { value: "yes", label: copy.yes },
              { value: "no", label: copy.no },
            ]}
          />
          <TextareaField name="details" label={copy.details} rows={3} defaultValue={declareValues.details} error={errors?.details} />
          <button type="submit" className="btn-warning">
            {copy.declareButton}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
