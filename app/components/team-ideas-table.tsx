import { Link } from "@remix-run/react";
import { DataTable } from "~/components/ui/data-table";
import { StatusTag } from "~/components/ui/status-tag";
import type { IdeaListItem } from "~/domain/community-teams";

const copy = {
  caption: "The team's ideas, newest first",
  columns: ["Idea", "Area", "Where it got to", "Proposal"],
};

/** A team's ideas and where each got to: its own status, and its proposal's once it became one. */
export function TeamIdeasTable({ teamId, ideas }: { teamId: string; ideas: readonly IdeaListItem[] }) {
  return (
    <DataTable caption={copy.caption} columns={copy.columns}>
      {ideas.map((i) => (
        <tr key={i.id}>
          <td>
            <Link to={`/teams/${teamId}/ideas/${i.id}`}>{i.title}</Link>
          </td>
          <td>{i.area}</td>
          <td>
            <StatusTag tone={i.progress.tone}>{i.progress.label}</StatusTag>
            {i.progress.proposalLabel ? <span className="block">{i.progress.proposalLabel}</span> : null}
          </td>
          <td>{i.proposal ? <Link to={i.proposal.href}>{i.proposal.reference}</Link> : null}</td>
        </tr>
      ))}
    </DataTable>
  );
}
