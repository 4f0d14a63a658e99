import { Link } from "@remix-run/react";
import { formatDate } from "~/domain/phases";

export interface WaitingJoinRequest {
  id: string;
  requesterName: string;
  /** Shown under the name where the reader may contact the person (administrators). */
  requesterEmail?: string | null;
  groupName: string;
  createdAt: string;
}

/** Table rows for requests to join a group that wait for an answer: person, group, date, and a link to answer. */
export function JoinRequestRows({ requests, answerLabel }: { requests: readonly WaitingJoinRequest[]; answerLabel: string }) {
  return (
    <>
      {requests.map((r) => (
        <tr key={r.id}>
          <td>
            {r.requesterName}
            {r.requesterEmail ? (
              <>
                <br />
                <span className="break-all">{r.requesterEmail}</span>
              </>
            ) : null}
          </td>
          <td>{r.groupName}</td>
          <td className="whitespace-nowrap">{formatDate(r.createdAt)}</td>
          <td>
            <Link to={`/join-requests/${r.id}`}>
              {answerLabel}
              <span className="sr-only">
                {" "}
                {r.requesterName}, {r.groupName}
              </span>
            </Link>
          </td>
        </tr>
      ))}
    </>
  );
}
