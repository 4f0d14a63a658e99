import { Link } from "@remix-run/react";
import { DataTable } from "./ui/data-table";

export interface HistoryEvent {
  id: number;
  time: string;
  actor: string;
  actorEmail: string | null;
  action: string;
}

/** A record's audit events, newest first, with a link to the full, filterable trail. */
export function EntityHistory({ events, entityType, entityId, total }: { events: HistoryEvent[]; entityType: string; entityId: string; total: number }) {
  const full = `/admin/audit?${new URLSearchParams({ entityType, entityId })}`;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {events.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <DataTable caption="What happened to this record, newest first" columns={["When (UTC)", "Who", "What"]}>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap">{e.time.replace("T", " ").slice(0, 16)}</td>
              <td className="break-all">{e.actorEmail ?? e.actor}</td>
              <td>{e.action}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p className="mt-2">
        <Link to={full}>
          {total > events.length ? `See all ${total} events, with the values before and after` : "See these events with the values before and after"}
        </Link>
      </p>
    </section>
  );
}
