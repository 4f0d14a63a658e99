import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const copy = {
  403: {
    title: "You do not have permission to see this page",
    body: "If you think you should have access, contact the fund administrator.",
  },
  404: {
    title: "Page not found",
    body: "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
  },
  400: { title: "Sorry, there is a problem with that request", body: "Go back and try again." },
  503: {
    title: "Sorry, the portal cannot save changes right now",
    body: "Nothing you sent was saved. Please try again later.",
  },
  500: {
    title: "Sorry, there is a problem with the service",
    body: "Try again later. Nothing you saved has been lost.",
  },
} as const;

const statusOf = (error: unknown) => (isRouteErrorResponse(error) ? error.status : 500);
const textFor = (status: number) => (status === 403 || status === 404 || status === 400 || status === 503 ? copy[status] : copy[500]);

/** An error page's <title>: the words of its heading, then the portal's name, so a tab or a screen reader says "Page not found". */
export const errorPageTitle = (error: unknown) => `${textFor(statusOf(error)).title} – Community Grant Decisions`;

/** Plain-English 400, 403, 404, 503 and 500 pages; every route exports this as its ErrorBoundary. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = statusOf(error);
  const text = textFor(status);
  // A 403 says why; a 503 (a full or read-only disk, db/storage-faults.ts) says that nothing was saved and whom to tell.
  const detail = isRouteErrorResponse(error) && (status === 403 || status === 503) && typeof error.data === "string" ? error.data : null;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <div>
      <h1>{text.title}</h1>
      {detail && detail !== "Forbidden" ? <p>{detail}</p> : null}
      {status === 503 && detail ? null : <p>{text.body}</p>}
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  );
}
