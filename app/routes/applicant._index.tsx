import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EqualityInvitations } from "~/components/equality-questions";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/domain/phases";
import { nextStepText } from "~/domain/next-step";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { AWARD_STATUS_LABELS } from "~/domain/award";
import { formatPence } from "~/domain/money";
import { listGroupProposals } from "~/models/applicant.server";
import { getAwardOverview, listAwardsForOrganisation } from "~/models/award.server";
import { findTeamOfOrganisation } from "~/models/community-team.server";
import { getOrganisation } from "~/models/directory.server";
import { listNotifications } from "~/services/notifications.server";
import { unansweredEqualityFunds } from "~/models/equality.server";
import { getDb } from "~/utils/db.server";
import { scrollRegion } from "~/components/ui/data-table";
import { StatusTag } from "~/components/ui/status-tag";
import { PROPOSAL_STATUS_TONES } from "~/domain/status-tone";

const copy = {
  title: "Your community group",
  welcome: (name: string) => `Welcome, ${name}.`,
  noGroupTitle: "Set up your group's profile first",
  noGroup: "Before you can start a proposal, tell us about your community group.",
  setUp: "Set up your group's profile",
  group: (name: string) => `You are a member of ${name}.`,
  editGroup: "See or change your group's profile, or invite someone to your group",
  team: "Your community team's ideas, the people you engaged, and your mentoring and training",
  start: "Start a proposal",
  proposals: "Your group's proposals",
  caption: "Your group's proposals, the last one changed first",
  columns: { proposal: "Proposal", group: "Decision group", status: "Where it is", next: "What happens next", updated: "Last changed" },
  untitled: "Untitled draft",
  none: "Your group has no proposals yet.",
  notices: "Updates",
  noNotices: "No updates yet. We will put news about your proposals here, and email it to you too.",
  about: "How it works",
  aboutBody:
    "You write a proposal and submit it to your area's lead organisation. They can ask for changes, then support it. The fund administrator checks that it meets the rules. Then a decision panel reads it. The panel is made of residents, councillors and people from local charities.",
  seeProposal: "See this proposal",
  awards: "Your awards",
  award: (reference: string, title: string, amount: string, status: string) => `${reference}: ${title}, ${amount} (${status})`,
  edit: "Edit",
  equality: "Who takes part",
  equalityBody: "Help us see who takes part. You do not have to answer, and we do not keep your name with your answers.",
  equalityLink: (fund: string) => `Answer a few questions for ${fund}`,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "home.applicant");
  const db = getDb();
  if (!user.organisationId) return json({ name: user.name, organisation: null, proposals: [], notices: [], awards: [], equality: [], team: null });
  const [organisation, rows, notices, awardRows, team] = await Promise.all([
    getOrganisation(db, user.organisationId),
    listGroupProposals(db, user.organisationId),
    listNotifications(db, user.organisationId),
    listAwardsForOrganisation(db, user.organisationId),
    findTeamOfOrganisation(db, user.organisationId),
  ]);
  const awards = awardRows.map((a) => ({
    id: a.id,
    label: copy.award(a.reference, a.proposal_title, formatPence(a.amount_pence), AWARD_STATUS_LABELS[a.status]),
  }));
  // Once an offer is made, the next step comes from the award (offered, conditions, payments, reports, closed).
  const awardFacts = new Map(await Promise.all(awardRows.map(async (a) => [a.proposal_id, (await getAwardOverview(db, a)).facts] as const)));
  const now = new Date();
  const proposals = rows.map((p) => ({
    id: p.id,
    reference: p.reference,
    title: p.title,
    decisionGroup: `${p.decisionGroupName} (${p.fundName})`,
    status: STATUS_LABELS[p.status],
    tone: PROPOSAL_STATUS_TONES[p.status],
    isEditable: isEditable(p.status),
    next: nextStepText({ proposalStatus: p.status, fund: p, award: awardFacts.get(p.id), now, formatDate }),
    updated: formatDate(p.updated_at),
  }));
  const equality = await unansweredEqualityFunds(db, user.id, { roleGroup: "applicant", organisationId: user.organisationId });
  return json({ name: user.name, organisation: organisation ?? null, proposals, notices, awards, equality, team: team ? { id: team.id } : null });
}

export default function ApplicantHome() {
  const { name, organisation, proposals, notices, awards, equality, team } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{copy.welcome(name)}</p>
      {organisation ? (
        <>
          <p>
            {copy.group(organisation.name)} <Link to="/applicant/group">{copy.editGroup}</Link>
          </p>
          {team ? (
            <p>
              <Link to={`/teams/${team.id}`}>{copy.team}</Link>
            </p>
          ) : null}
          <p>
            <Link to="/proposals/new" className="btn">
              {copy.start}
            </Link>
          </p>
        </>
      ) : (
        <div className="panel">
          <h2 className="mt-0">{copy.noGroupTitle}</h2>
          <p>{copy.noGroup}</p>
          <p className="mb-0">
            <Link to="/applicant/group" className="btn">
              {copy.setUp}
            </Link>
          </p>
        </div>
      )}

      {awards.length ? (
        <>
          <h2>{copy.awards}</h2>
          <ul className="list-disc pl-6">
            {awards.map((a) => (
              <li key={a.id}>
                <Link to={`/awards/${a.id}`}>{a.label}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {organisation ? (
        <>
          <h2>{copy.proposals}</h2>
          {proposals.length ? (
            <div {...scrollRegion(copy.caption)}>
              <table className="table">
                <caption className="sr-only">{copy.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{copy.columns.proposal}</th>
                    <th scope="col">{copy.columns.group}</th>
                    <th scope="col">{copy.columns.status}</th>
                    <th scope="col">{copy.columns.next}</th>
                    <th scope="col">{copy.columns.updated}</th>
                  </tr>
                </thead>
                <tbody>
                  {proposals.map((p) => (
                    <tr key={p.id}>
                      <td className="break-words">
                        <Link to={`/proposals/${p.id}`}>{p.title || copy.untitled}</Link>
                        <br />
                        <span className="text-sm text-slate-700">{p.reference}</span>
                        {p.isEditable ? (
                          <>
                            <br />
                            <Link to={`/proposals/${p.id}/edit`}>
                              {copy.edit}
                              <span className="sr-only"> {p.title || copy.untitled}</span>
                            </Link>
                          </>
                        ) : null}
                      </td>
                      <td>{p.decisionGroup}</td>
                      <td>
                        <StatusTag tone={p.tone}>{p.status}</StatusTag>
                      </td>
                      <td className="min-w-[12rem]">{p.next}</td>
                      <td className="whitespace-nowrap">{p.updated}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{copy.none}</p>
          )}

          <h2>{copy.notices}</h2>
          {notices.length ? (
            <ul className="list-none space-y-3 pl-0">
              {notices.map((n) => (
                <li key={n.id} className="border-l-4 border-slate-400 pl-3">
                  <p className="mb-1 text-sm text-slate-700">{formatDate(n.created_at)}</p>
                  <p className="mb-1 whitespace-pre-line break-words">{n.body}</p>
                  {n.proposal_id ? <Link to={`/proposals/${n.proposal_id}`}>{copy.seeProposal}</Link> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>{copy.noNotices}</p>
          )}
        </>
      ) : null}

      <EqualityInvitations funds={equality} as="applicant" copy={{ heading: copy.equality, body: copy.equalityBody, link: copy.equalityLink }} />

      <h2>{copy.about}</h2>
      <p>{copy.aboutBody}</p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
