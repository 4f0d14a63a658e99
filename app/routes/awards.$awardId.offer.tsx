import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AWARD_STATUS_LABELS } from "~/domain/award";
import { formatPence } from "~/domain/money";
import { can } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { awardResource, findAwardFor, listConditions, listInstalments, listReports } from "~/models/award.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (reference: string) => `Offer letter for award ${reference}`,
  printHint: "To keep a copy, print this page, or save it as a PDF from your browser's print menu.",
  back: "Back to the award",
  dateLine: (date: string) => `Date of offer: ${date}`,
  to: "To",
  dear: (name: string) => `Dear ${name},`,
  opening: (fund: string, group: string, project: string) =>
    `We are pleased to offer your group a grant from ${fund}. The ${group} decision group chose to fund your project, "${project}".`,
  amount: "The grant",
  amountLine: (amount: string) => `We offer a grant of ${amount}.`,
  project: "The project",
  conditions: "Conditions",
  conditionsIntro:
    "We cannot pay any money until each of these conditions is met. Send evidence for each one through the portal. The fund administrator will sign it off.",
  noConditions: "This grant has no conditions beyond the terms of this letter.",
  schedule: "Payment schedule",
  scheduleNone: "We will agree the payment schedule with you after you accept this offer.",
  releasedBy: { acceptance: "when you accept this offer", conditions_met: "when every condition is met", report_approved: "when a report is approved" },
  instalment: (n: number, amount: string, due: string, when: string) => `Instalment ${n}: ${amount}, due on ${due}, released ${when}.`,
  reports: "Reporting dates",
  reportsNone: "We will agree the dates for your monitoring reports with you after you accept this offer.",
  report: (kind: "progress" | "final", due: string) => `${kind === "final" ? "Final report" : "Progress report"} due on ${due}.`,
  howToAccept: "How to accept",
  acceptSteps: [
    "Sign in to the portal and open your award.",
    "Read this letter and the conditions with your committee.",
    "Give the full name and role of the person who is authorised to sign for your group. Then accept the offer.",
  ],
  declineLine: "If your group cannot take the grant, decline the offer in the portal. Tell us why, so the money can go to another project.",
  status: (label: string) => `Status of this offer: ${label}.`,
  acceptedBy: (name: string, role: string, date: string) => `Accepted by ${name} (${role}) on ${date}.`,
  signOff: "Yours sincerely,",
  reference: (award: string, proposal: string) => `Award reference ${award} · Proposal reference ${proposal}`,
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? copy.title(data.award.reference) : "Offer letter"} – Community Grant Decisions` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const award = await findAwardFor(db, user, params.awardId ?? "");
  if (!award) throw notFound("We could not find that award.");
  const [conditions, instalments, reports] = await Promise.all([listConditions(db, award.id), listInstalments(db, award.id), listReports(db, award.id)]);
  return json({
    award: {
      id: award.id,
      reference: award.reference,
      proposalReference: award.proposal_reference,
      organisationName: award.organisation_name,
      address: [award.organisation_address, award.organisation_postcode].filter(Boolean).join(", "),
      projectTitle: award.proposal_title || award.proposal_reference,
      projectSummary: award.proposal_summary,
      whatBuilt: award.proposal_what_built,
      fundName: award.fund_name,
      funderName: award.funder_org_name,
      groupName: award.decision_group_name,
      amount: formatPence(award.amount_pence),
      offered: formatDate(award.offered_at),
      status: award.status,
      statusLabel: AWARD_STATUS_LABELS[award.status],
      accepted: award.accepted_at ? copy.acceptedBy(award.signatory_name ?? "", award.signatory_role ?? "", formatDate(award.accepted_at)) : null,
    },
    // The group's member goes back to its award page; the administrator to theirs.
    isApplicant: can(user, "award.act", awardResource(award)),
    conditions: conditions.map((c) => ({ id: c.id, text: c.text })),
    instalments: instalments.map((i) => copy.instalment(i.position, formatPence(i.amount_pence), formatDate(i.due_on), copy.releasedBy[i.released_by])),
    reports: reports.map((r) => copy.report(r.kind, formatDate(r.due_on))),
  });
}

export default function OfferLetter() {
  const data = useLoaderData<typeof loader>();
  const { award } = data;
  return (
    <article className="max-w-3xl print:max-w-none print:text-black">
      <div className="print:hidden">
        <p>
          <Link to={data.isApplicant ? `/awards/${award.id}` : `/admin/awards/${award.id}`}>{copy.back}</Link>
        </p>
        <p className="panel">{copy.printHint}</p>
      </div>
      <p className="text-slate-700 print:text-black">{award.funderName}</p>
      <h1>{copy.title(award.reference)}</h1>
      <p>{copy.dateLine(award.offered)}</p>
      <h2 className="sr-only">{copy.to}</h2>
      <address className="mb-6 not-italic">
        {award.organisationName}
        {award.address ? (
          <>
            <br />
            {award.address}
          </>
        ) : null}
      </address>
      <p>{copy.dear(award.organisationName)}</p>
      <p>{copy.opening(award.fundName, award.groupName, award.projectTitle)}</p>

      <section className="print:break-inside-avoid">
        <h2>{copy.amount}</h2>
        <p className="text-xl font-semibold">{copy.amountLine(award.amount)}</p>
      </section>

      <section className="print:break-inside-avoid">
        <h2>{copy.project}</h2>
        <p className="font-semibold">{award.projectTitle}</p>
        {award.projectSummary ? <p className="whitespace-pre-line">{award.projectSummary}</p> : null}
        {award.whatBuilt ? <p className="whitespace-pre-line">{award.whatBuilt}</p> : null}
      </section>

      <section className="print:break-inside-avoid">
        <h2>{copy.conditions}</h2>
        {data.conditions.length ? (
          <>
            <p>{copy.conditionsIntro}</p>
            <ol className="list-decimal pl-6">
              {data.conditions.map((c) => (
                <li key={c.id}>{c.text}</li>
              ))}
            </ol>
          </>
        ) : (
          <p>{copy.noConditions}</p>
        )}
      </section>

      <section className="print:break-inside-avoid">
        <h2>{copy.schedule}</h2>
        {data.instalments.length ? (
          <ul className="list-disc pl-6">
            {data.instalments.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <p>{copy.scheduleNone}</p>
        )}
      </section>

      <section className="print:break-inside-avoid">
        <h2>{copy.reports}</h2>
        {data.reports.length ? (
          <ul className="list-disc pl-6">
            {data.reports.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        ) : (
          <p>{copy.reportsNone}</p>
        )}
      </section>

      <section className="print:break-inside-avoid">
        <h2>{copy.howToAccept}</h2>
        <ol className="list-decimal pl-6">
          {copy.acceptSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <p>{copy.declineLine}</p>
        <p>{copy.status(award.statusLabel)}</p>
        {award.accepted ? <p>{award.accepted}</p> : null}
      </section>

      <p className="mt-8">{copy.signOff}</p>
      <p>{award.funderName}</p>
      <p className="mt-8 text-sm text-slate-700 print:text-black">{copy.reference(award.reference, award.proposalReference)}</p>
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
