import { formatBytes } from "~/domain/file-type";
import { formatDate } from "~/domain/phases";
import { AttachmentList } from "./attachment-list";

const copy = {
  statementTitle: "The lead organisation's support statement",
  noStatement: "The lead organisation has not written a support statement for this proposal.",
  statementBy: (name: string, date: string) => `Written by ${name}, ${date}`,
  filesTitle: "Files from the applicant",
  noFiles: "The applicant did not attach any files.",
  download: (name: string) => `Download ${name}`,
};

/** What the loader sends: plain rows from getProposalEvidence (app/models/proposal-evidence.server.ts). */
export interface ProposalEvidenceRows {
  attachments: { id: string; original_name: string; size_bytes: number }[];
  statements: { id: string; body: string; created_at: string; authorName: string }[];
}

export interface ProposalEvidenceData {
  attachments: { id: string; name: string; size: string }[];
  statements: { id: string; body: string; by: string }[];
}

/** The rows as the page shows them (pure, so loaders call it). */
export function evidenceView(rows: ProposalEvidenceRows): ProposalEvidenceData {
  return {
    attachments: rows.attachments.map((a) => ({ id: a.id, name: a.original_name, size: formatBytes(a.size_bytes) })),
    statements: rows.statements.map((s) => ({ id: s.id, body: s.body, by: copy.statementBy(s.authorName, formatDate(s.created_at)) })),
  };
}

/** The support statement and the files, for the panel's and the advisers' proposal pages. */
export function ProposalEvidence({ evidence }: { evidence: ProposalEvidenceData }) {
  return (
    <>
      <section aria-labelledby="support-statement">
        <h2 id="support-statement">{copy.statementTitle}</h2>
        {evidence.statements.length ? (
          evidence.statements.map((s) => (
            <div key={s.id} className="panel">
              <p className="whitespace-pre-line break-words">{s.body}</p>
              <p className="mb-0 text-sm text-slate-700">{s.by}</p>
            </div>
          ))
        ) : (
          <p>{copy.noStatement}</p>
        )}
      </section>
      <section aria-labelledby="files">
        <h2 id="files">{copy.filesTitle}</h2>
        <AttachmentList attachments={evidence.attachments} downloadLabel={copy.download} emptyText={copy.noFiles} />
      </section>
    </>
  );
}

export const EVIDENCE_LINKS = { statement: { href: "#support-statement", label: copy.statementTitle }, files: { href: "#files", label: copy.filesTitle } };
