import { useRouteLoaderData } from "@remix-run/react";
import { SUBMISSION_FIELD } from "~/domain/submissions";
import type { RootLoaderData } from "~/root";

/** The hidden form token every non-GET form must carry, and the page's one-time submission key (a repeat of the form has one effect). */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as RootLoaderData | undefined;
  return (
    <>
      <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />
      {data?.submissionKey ? <input type="hidden" name={SUBMISSION_FIELD} value={data.submissionKey} /> : null}
    </>
  );
}
