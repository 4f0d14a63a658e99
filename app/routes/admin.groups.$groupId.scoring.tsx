import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { DomainError } from "~/domain/errors";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { ReopenSheetSchema } from "~/domain/forms/panel";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { CONSTITUENCY_LABELS } from "~/domain/roles";
import { progressText } from "~/domain/score-sheet";
import { openReviewRefusal } from "~/domain/scoring-guards";
import { listCriteria } from "~/models/fund.server";
import { getGroupForOversight, listGroupProposals, listPanelMembers, listPanelWork, listSubmittedSheets } from "~/models/scoring.server";
import { closeScoring, openGroupForReview, reopenScoreSheet, sendScoringReminders } from "~/services/scoring.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "Scoring",
  back: "Decision group set-up",
  closedOn: (date: string) => `Scoring closed on ${date}. Score sheets can no longer change, and every member can see the panel's scores.`,
  open: "Scoring is open.",
  done: {
    reminded: (n: number) =>
      n === 0 ? "Every member has submitted all their scores, so no reminders were sent." : `Reminders sent to ${n} member${n === 1 ? "" : "s"}.`,
    reopened: "The score sheet has been reopened and the member has been told why.",
    closed: "Scoring is now closed for this decision group.",
    opened: (n: number) => `${n} proposal${n === 1 ? " is" : "s are"} now under panel review.`,
  },
  members: "Progress by member",
  membersCaption: "Each panel member's submitted score sheets out of the proposals they score (those they have not declared an interest in)",
  member: "Member",
  constituency: "Constituency",
  progress: "Submitted",
  drafts: "Drafts",
  declared: "Interests declared",
  notDeclared: "Not yet",
  noMembers: "This decision group has no panel members yet.",
  proposals: "Progress by proposal",
  proposalsCaption: "Submitted score sheets for each proposal, out of the members who score it",
  reference: "Reference",
  proposal: "Proposal",
  status: "Status",
  sheets: "Score sheets submitted",
  sheetsOf: (n: number, of: number) => `${n} of ${of}`,
  noProposals: "There are no eligible proposals or proposals under review in this decision group.",
  openTitle: "Open proposals for panel review",
  openBody: (n: number) => `${n} eligible proposal${n === 1 ? " is" : "s are"} waiting. Opening them moves them to "under panel review" and tells each group.`,
  openButton: "Open eligible proposals for review",
  remindTitle: "Remind members",
  remindBody: "Sends one email to each member who still has proposals to score, saying how many are left.",
  remindButton: "Send reminders",
  reopenTitle: "Reopen a submitted score sheet",
  reopenBody: "Use this when a member asks to correct a mistake. The member is told the reason by email, and it is kept in the audit trail.",
  sheet: "Score sheet",
  chooseSheet: "Choose a score sheet…",
  noSheets: "No score sheets have been submitted yet.",
  reason: "Reason for reopening",
  reasonHint: "For example, 'Asked to correct a score entered by mistake on 3 May'.",
  reopenButton: "Reopen score sheet",
  closeTitle: "Close scoring",
  closeBody: "When scoring closes, no sheet can be saved, submitted or reopened, and every member can see the panel's scores. This cannot be undone here.",
  closeButton: "Close scoring for this group",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "scoring.oversee");
  const db = getDb();
  const groupId = params.groupId ?? "";
  const group = await getGroupForOversight(db, groupId);
  if (!group) throw notFound();
  const [members, work, proposals, sheets, criteria] = await Promise.all([
    listPanelMembers(db, groupId),
    listPanelWork(db, groupId),
    listGroupProposals(db, groupId),
    listSubmittedSheets(db, groupId),
    listCriteria(db, group.fundId),
  ]);
  const byMember = new Map<string, { total: number; submitted: number; drafts: number }>();
  const byProposal = new Map<string, { total: number; submitted: number }>();
  for (const w of work) {
    const m = byMember.get(w.userId) ?? { total: 0, submitted: 0, drafts: 0 };
    const p = byProposal.get(w.proposalId) ?? { total: 0, submitted: 0 };
    m.total += 1;
    p.total += 1;
    if (w.submitted_at) {
      m.submitted += 1;
      p.submitted += 1;
    } else if (w.sheetId) m.drafts += 1;
    byMember.set(w.userId, m);
    byProposal.set(w.proposalId, p);
  }
  return json({
    group: {
      id: group.id,
      name: group.name,
      fundId: group.fundId,
      fundName: group.fundName,
      closedOn: group.scoring_closed_at ? formatDate(group.scoring_closed_at) : null,
    },
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      constituency: m.constituency ? CONSTITUENCY_LABELS[m.constituency] : "–",
      declaredOn: m.interests_declared_at ? formatDate(m.interests_declared_at) : null,
      ...(byMember.get(m.id) ?? { total: 0, submitted: 0, drafts: 0 }),
    })),
    proposals: proposals.map((p) => ({
      id: p.id,
      reference: p.reference,
      title: p.title,
      statusLabel: STATUS_LABELS[p.status],
      ...(byProposal.get(p.id) ?? { total: 0, submitted: 0 }),
    })),
    eligibleCount: proposals.filter((p) => p.status === "eligible").length,
    // The service refuses the same way (app/domain/scoring-guards.ts); the page says why instead of offering the button.
    openRefusal: openReviewRefusal({ scoringClosedAt: group.scoring_closed_at, usesScoring: criteria.length > 0 }),
    sheets: sheets.map((s) => ({ id: s.id, label: `${s.memberName}: ${s.reference} ${s.title} (submitted ${formatDate(s.submitted_at)})` })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "scoring.oversee");
  const db = getDb();
  const group = await getGroupForOversight(db, params.groupId ?? "");
  if (!group) throw notFound();
  const base = `/admin/groups/${group.id}/scoring`;
  const intent = String(form.get("intent") ?? "");
  if (intent === "remind") {
    return submitForm(form, NoFieldsSchema, async () => {
      const n = await sendScoringReminders(db, admin, group.id);
      return redirect(`${base}?done=reminded&n=${n}`);
    });
  }
  if (intent === "close") {
    return submitForm(form, NoFieldsSchema, async () => {
      await closeScoring(db, admin, group.id);
      return redirect(`${base}?done=closed`);
    });
  }
  if (intent === "open_review") {
    return submitForm(form, NoFieldsSchema, async () => {
      const n = await openGroupForReview(db, admin, group.id);
      return redirect(`${base}?done=opened&n=${n}`);
    });
  }
  if (intent !== "reopen") return formError({ form: "Choose one of the buttons on the page." });
  return submitForm(form, ReopenSheetSchema, async (data) => {
    // The sheet must belong to this group: checked in the query that lists the group's submitted sheets.
    const sheets = await listSubmittedSheets(db, group.id);
    if (!sheets.some((s) => s.id === data.sheetId)) throw new DomainError("Choose a submitted score sheet from the list", "sheetId");
    await reopenScoreSheet(db, admin, data.sheetId, data.reason);
    return redirect(`${base}?done=reopened`);
  });
}

export default function GroupScoring() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const done = search.get("done");
  const n = Number(search.get("n") ?? 0);
  const notice =
    done === "reminded"
      ? copy.done.reminded(n)
      : done === "reopened"
        ? copy.done.reopened
        : done === "closed"
          ? copy.done.closed
          : done === "opened"
            ? copy.done.opened(n)
            : null;
  const { group } = data;
  const isOpen = !group.closedOn;
  const sheetError = errors?.sheetId;
  return (
    <div>
      <ErrorSummary errors={errors} />
      {notice && !errors ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <p>
        <Link to={`/admin/funds/${group.fundId}/groups/${group.id}`}>{copy.back}</Link>
      </p>
      <p className="mb-1 text-slate-700">{group.fundName}</p>
      <h1>
        {copy.title}: {group.name}
      </h1>
      <p className={group.closedOn ? "panel" : ""}>{group.closedOn ? copy.closedOn(group.closedOn) : copy.open}</p>

      <section aria-labelledby="members">
        <h2 id="members">{copy.members}</h2>
        {data.members.length ? (
          <div {...scrollRegion(copy.membersCaption)}>
            <table className="table">
              <caption className="sr-only">{copy.membersCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.member}</th>
                  <th scope="col">{copy.constituency}</th>
                  <th scope="col">{copy.declared}</th>
                  <th scope="col">{copy.progress}</th>
                  <th scope="col">{copy.drafts}</th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <tr key={m.id}>
                    <th scope="row" className="font-normal">
                      {m.name}
                    </th>
                    <td>{m.constituency}</td>
                    <td>{m.declaredOn ?? copy.notDeclared}</td>
                    <td className="whitespace-nowrap">{progressText(m.submitted, m.total)}</td>
                    <td>{m.drafts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{copy.noMembers}</p>
        )}
      </section>

      <section aria-labelledby="proposals">
        <h2 id="proposals">{copy.proposals}</h2>
        {data.proposals.length ? (
          <div {...scrollRegion(copy.proposalsCaption)}>
            <table className="table">
              <caption className="sr-only">{copy.proposalsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{copy.reference}</th>
                  <th scope="col">{copy.proposal}</th>
                  <th scope="col">{copy.status}</th>
                  <th scope="col">{copy.sheets}</th>
                </tr>
              </thead>
              <tbody>
                {data.proposals.map((p) => (
                  <tr key={p.id}>
                    <td className="whitespace-nowrap">{p.reference}</td>
                    <td className="break-words">
                      <Link to={`/admin/proposals/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>{p.statusLabel}</td>
                    <td className="whitespace-nowrap">{copy.sheetsOf(p.submitted, p.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{copy.noProposals}</p>
        )}
      </section>

      {data.eligibleCount > 0 ? (
        <section aria-labelledby="open-review">
          <h2 id="open-review">{copy.openTitle}</h2>
          <p>{copy.openBody(data.eligibleCount)}</p>
          {data.openRefusal ? (
            <p className="panel">{data.openRefusal}</p>
          ) : (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="open_review" />
              <button type="submit" className="btn-secondary">
                {copy.openButton}
              </button>
            </Form>
          )}
        </section>
      ) : null}

      {isOpen ? (
        <>
          <section aria-labelledby="remind">
            <h2 id="remind">{copy.remindTitle}</h2>
            <p>{copy.remindBody}</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="remind" />
              <button type="submit" className="btn-secondary">
                {copy.remindButton}
              </button>
            </Form>
          </section>

          <section aria-labelledby="reopen" className="max-w-2xl">
            <h2 id="reopen">{copy.reopenTitle}</h2>
            <p>{copy.reopenBody}</p>
            {data.sheets.length ? (
              <Form method="post" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="reopen" />
                <div className={`mb-6 ${sheetError ? "border-l-4 border-red-700 pl-3" : ""}`}>
                  <label htmlFor="sheetId" className="mb-1 block font-semibold">
                    {copy.sheet}
                  </label>
                  {sheetError ? (
                    <p id="sheetId-error" className="mb-1 font-semibold text-red-800">
                      <span className="sr-only">Error: </span>
                      {sheetError}
                    </p>
                  ) : null}
                  <select
                    id="sheetId"
                    name="sheetId"
                    defaultValue={values.sheetId ?? ""}
                    aria-describedby={sheetError ? "sheetId-error" : undefined}
                    aria-invalid={sheetError ? true : undefined}
                    className={`input ${sheetError ? "input-error" : ""}`}
                  >
                    <option value="">{copy.chooseSheet}</option>
                    {data.sheets.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                </div>
                <TextareaField name="reason" label={copy.reason} hint={copy.reasonHint} rows={3} defaultValue={values.reason} error={errors?.reason} />
                <button type="submit" className="btn-secondary">
                  {copy.reopenButton}
                </button>
              </Form>
            ) : (
              <p>{copy.noSheets}</p>
            )}
          </section>

          <section aria-labelledby="close">
            <h2 id="close">{copy.closeTitle}</h2>
            <p>{copy.closeBody}</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="btn-warning">
                {copy.closeButton}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
