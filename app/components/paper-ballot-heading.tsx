import { Link } from "@remix-run/react";
import { ErrorSummary } from "~/components/ui/error-summary";

/** The top of each paper ballot page: the error summary, the way back to the paper ballots page, the title and fund, and what just happened. */
export function PaperBallotHeading({
  fundId,
  fundName,
  title,
  back,
  errors,
  status,
}: {
  fundId: string;
  fundName: string;
  title: string;
  back: string;
  errors?: Record<string, string>;
  status?: string | null;
}) {
  return (
    <>
      <ErrorSummary errors={errors} />
      <p>
        <Link to={`/admin/funds/${fundId}/ballot/paper`}>{back}</Link>
      </p>
      <h1>{title}</h1>
      <p className="text-lg">{fundName}</p>
      {status ? (
        <p role="status" className="panel font-semibold">
          {status}
        </p>
      ) : null}
    </>
  );
}
