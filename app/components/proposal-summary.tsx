import { Link } from "@remix-run/react";
import { ErrorSummary } from "~/components/ui/error-summary";
import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { STATUS_LABELS, type ProposalStatus } from "~/domain/proposal-status";

export interface ProposalSummaryData {
  reference: string;
  title: string;
  summary: string;
  status: ProposalStatus;
  fundName: string;
  decisionGroupName: string;
  communityGroupName: string;
  amount_requested_pence: number | null;
  submitted_at: string | null;
  version: number;
  preparedByName?: string | null;
  importedByName?: string | null;
  created_at?: string;
}

const copy = {
  reference: "Reference",
  status: "Status",
  group: "Decision group",
  community: "Community group",
  amount: "Amount requested",
  submitted: "Submitted",
  notSubmitted: "Not submitted yet",
  version: "Version",
  summary: "Summary",
  preparedBy: "Prepared by",
  importedBy: "Imported by",
  noAmount: "Not given",
};

/** The compact read of a proposal that lead organisations and administrators act on. */
export function ProposalSummary({ proposal }: { proposal: ProposalSummaryData }) {
  const rows: [string, string][] = [
    [copy.reference, proposal.reference],
    [copy.status, STATUS_LABELS[proposal.status]],
    [copy.group, `${proposal.decisionGroupName} (${proposal.fundName})`],
    [copy.community, proposal.communityGroupName],
    [copy.amount, proposal.amount_requested_pence === null ? copy.noAmount : formatPence(proposal.amount_requested_pence)],
    [copy.submitted, proposal.submitted_at ? formatDate(proposal.submitted_at) : copy.notSubmitted],
    [copy.version, String(proposal.version)],
  ];
  if (proposal.preparedByName) rows.push([copy.preparedBy, proposal.preparedByName]);
  if (proposal.importedByName) {
    rows.push([copy.importedBy, `${proposal.importedByName}${proposal.created_at ? `, ${formatDate(proposal.created_at)}` : ""}`]);
  }
  return (
    <section aria-labelledby="proposal-summary-title" className="panel">
      <h2 id="proposal-summary-title" className="mt-0">
        {proposal.title || proposal.reference}
      </h2>
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-semibold">{label}</dt>
            <dd className="mb-2 break-words sm:mb-0">{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{copy.summary}</h3>
      <p className="whitespace-pre-line break-words">{proposal.summary || "—"}</p>
    </section>
  );
}

export interface MessageData {
  id: string;
  kind: string;
  body: string;
  author_name: string;
  created_at: string;
}

const KIND_LABELS: Record<string, string> = {
  changes_requested: "Changes requested",
  support_statement: "Support statement",
  decline_reason: "Reason for declining",
  eligible: "Eligibility check: eligible",
  ineligible_reason: "Eligibility check: not eligible",
  group_reply: "Reply from the group",
  handed_to_group: "Handed to the group",
};

/** The notes that travel with a proposal, oldest first. */
export function ProposalMessages({ messages, title = "Messages" }: { messages: MessageData[]; title?: string }) {
  return (
    <section aria-labelledby="proposal-messages-title">
      <h2 id="proposal-messages-title">{title}</h2>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ol className="list-none space-y-4 pl-0">
          {messages.map((m) => (
            <li key={m.id} className="border-l-4 border-slate-300 pl-3">
              <p className="mb-1 font-semibold">
                {KIND_LABELS[m.kind] ?? m.kind}, by {m.author_name}, {formatDate(m.created_at)}
              </p>
              <p className="mb-0 whitespace-pre-line break-words">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * The top of a page where someone acts on a proposal: back link, heading,
 * error summary, the outcome of the last action, the summary and a link to
 * the whole proposal.
 */
export function ProposalActionHeader({
  proposal,
  back,
  untitled,
  readAll,
  errors,
  done,
}: {
  proposal: ProposalSummaryData & { id: string; reference: string; title: string };
  back: { to: string; label: string };
  untitled: string;
  readAll: string;
  errors?: Record<string, string>;
  done?: string | null;
}) {
  return (
    <>
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>
        <span className="block text-lg font-normal text-slate-700">{proposal.reference}</span>
        {proposal.title || untitled}
      </h1>
      <ErrorSummary errors={errors} />
      {done ? (
        <p role="status" className="panel font-semibold">
          {done}
        </p>
      ) : null}
      <ProposalSummary proposal={proposal} />
      <p>
        <Link to={`/proposals/${proposal.id}`}>{readAll}</Link>
      </p>
    </>
  );
}
