import { DataTable } from "~/components/ui/data-table";
import type { AwardVersionRow, VariationRow } from "~/domain/monitoring";

const copy = {
  requests: "Requests and decisions",
  requestsCaption: "Requests to change the award, newest first",
  requestColumns: ["Change", "Reason", "Asked", "Decision"],
  none: "No changes have been asked for.",
  status: { requested: "Waiting for a decision", approved: "Approved", rejected: "Rejected" },
  versions: "Versions of the award's terms",
  versionsCaption: "Every version of the award's terms, newest first",
  versionColumns: ["Version", "Amount", "End date", "Why", "When"],
  noVersions: "The award has only its original terms.",
};

export function VariationRequests({ variations }: { variations: readonly VariationRow[] }) {
  return (
    <>
      <h2 className="mt-8">{copy.requests}</h2>
      {variations.length ? (
        <DataTable caption={copy.requestsCaption} columns={copy.requestColumns}>
          {variations.map((v) => (
            <tr key={v.id}>
              <td className="whitespace-pre-wrap">{v.change}</td>
              <td className="whitespace-pre-wrap">{v.reason}</td>
              <td className="whitespace-nowrap">{v.requestedOn}</td>
              <td>
                {copy.status[v.status]}
                {v.decidedOn ? ` on ${v.decidedOn}` : ""}
                {v.note ? <span className="block whitespace-pre-wrap">{v.note}</span> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.none}</p>
      )}
    </>
  );
}

export function VersionsTable({ versions }: { versions: readonly AwardVersionRow[] }) {
  return (
    <>
      <h2 className="mt-8">{copy.versions}</h2>
      {versions.length ? (
        <DataTable caption={copy.versionsCaption} columns={copy.versionColumns}>
          {versions.map((v) => (
            <tr key={v.id}>
              <td>{v.version}</td>
              <td>{v.amount}</td>
              <td className="whitespace-nowrap">{v.endDate}</td>
              <td className="whitespace-pre-wrap">{v.reason}</td>
              <td className="whitespace-nowrap">{v.createdOn}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{copy.noVersions}</p>
      )}
    </>
  );
}
