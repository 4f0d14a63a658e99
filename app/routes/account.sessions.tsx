import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { issueCsrfToken, readVerifiedForm } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { clearedSessionCookie, listUserSessions } from "~/auth/session-list.server";
import { sessionIdOf } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { describeDevice, formatDateTime, SessionActionSchema } from "~/domain/sessions";
import { endOwnSession, signOutEverywhere } from "~/services/sessions.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Where you are signed in",
  intro:
    "These are the browsers and devices signed in to your account now. Each one stays signed in until it signs out, is left unused for 30 minutes, or reaches 12 hours.",
  unknown: "If you do not recognise one, sign it out, then change your password (sign out, and use “Forgotten your password?” on the sign-in page).",
  caption: "Your sessions",
  columns: ["Device", "Signed in", "Last active", "Action"],
  thisSession: "This session",
  signOut: "Sign out",
  signOutDevice: (device: string, started: string) => `, ${device}, signed in ${started}`,
  othersTitle: "Sign out of every other device",
  othersHint: "Keeps you signed in here.",
  endOthers: "Sign out everywhere else",
  allTitle: "Sign out of every device, this one too",
  endAll: "Sign out everywhere",
  ended: "That session has been signed out.",
  endedOthers: (n: number) => (n === 1 ? "1 other session has been signed out." : `${n} other sessions have been signed out.`),
  noOthers: "You are not signed in anywhere else.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const currentId = await sessionIdOf(request);
  const sessions = await listUserSessions(getDb(), user.id);
  return json({
    sessions: sessions.map((s) => ({
      id: s.id,
      device: describeDevice(s.userAgent),
      started: formatDateTime(s.createdAt),
      lastSeen: formatDateTime(s.lastSeenAt),
      isCurrent: s.id === currentId,
    })),
  });
}

/** Signing this session out: the cookie cleared, a fresh form token, and on to the sign-in page. */
async function signedOutResponse(request: Request) {
  const headers = new Headers();
  headers.append("Set-Cookie", await clearedSessionCookie(request));
  headers.append("Set-Cookie", (await issueCsrfToken(request)).setCookie);
  return redirect("/login?signedOut=1", { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireUser(request);
  const currentId = await sessionIdOf(request);
  return submitForm(
    form,
    SessionActionSchema,
    async (data) => {
      const db = getDb();
      if (data.intent === "end") {
        const { wasCurrent } = await endOwnSession(db, user.id, data.sessionId, currentId);
        return wasCurrent ? signedOutResponse(request) : redirect("/account/sessions?ended=1");
      }
      if (data.intent === "end-others") {
        const ended = await signOutEverywhere(db, user.id, currentId);
        return redirect(`/account/sessions?endedOthers=${ended}`);
      }
      await signOutEverywhere(db, user.id, null);
      return signedOutResponse(request);
    },
    { fields: [] },
  );
}

export default function AccountSessions() {
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const endedOthers = searchParams.get("endedOthers");
  const notice =
    searchParams.get("ended") === "1"
      ? copy.ended
      : endedOthers !== null && /^\d+$/.test(endedOthers)
        ? Number(endedOthers) > 0
          ? copy.endedOthers(Number(endedOthers))
          : copy.noOthers
        : null;
  const hasOthers = sessions.some((s) => !s.isCurrent);
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={actionData?.errors} />
      {notice ? (
        <div role="status" className="mb-6 border-l-8 border-green-700 bg-green-50 p-4 font-semibold">
          {notice}
        </div>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p>{copy.unknown}</p>
      <DataTable caption={copy.caption} columns={copy.columns}>
        {sessions.map((s) => (
          <tr key={s.id}>
            <td>
              {s.device}
              {s.isCurrent ? (
                <>
                  {" "}
                  <strong className="tag">{copy.thisSession}</strong>
                </>
              ) : null}
            </td>
            <td>{s.started}</td>
            <td>{s.lastSeen}</td>
            <td>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="end" />
                <input type="hidden" name="sessionId" value={s.id} />
                <button type="submit" className="btn-secondary">
                  {copy.signOut}
                  <span className="sr-only">{copy.signOutDevice(s.device, s.started)}</span>
                </button>
              </Form>
            </td>
          </tr>
        ))}
      </DataTable>
      {hasOthers ? (
        <>
          <h2>{copy.othersTitle}</h2>
          <p>{copy.othersHint}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="end-others" />
            <button type="submit" className="btn">
              {copy.endOthers}
            </button>
          </Form>
        </>
      ) : null}
      <h2>{copy.allTitle}</h2>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="end-all" />
        <button type="submit" className="btn-warning">
          {copy.endAll}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
