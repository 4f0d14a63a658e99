import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/ui/pagination";
import { listOutbox } from "~/models/outbox.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { pageFrom } from "~/utils/pagination";

const PAGE_SIZE = 25;

const copy = {
  title: "Email outbox",
  demo: "No mail server is set (SMTP_URL), so emails are not sent. You can read them here instead: this is how you find invitation and password reset links in the demo.",
  smtp: "Emails are delivered by SMTP. Each message shows whether it has been sent.",
  none: "No emails yet.",
  to: "To",
  status: "Status",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "outbox.read");
  const page = pageFrom(new URL(request.url));
  const outbox = await listOutbox(getDb(), page, PAGE_SIZE);
  return json({ outbox, page, isSmtp: Boolean(getEnv().SMTP_URL) });
}

export default function Outbox() {
  const { outbox, page, isSmtp } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="panel">{isSmtp ? copy.smtp : copy.demo}</p>
      {outbox.rows.length === 0 ? <p>{copy.none}</p> : null}
      <ol className="space-y-6">
        {outbox.rows.map((m) => (
          <li key={m.id} className="border-2 border-slate-300 p-4">
            <h2 className="mt-0 text-xl">{m.subject}</h2>
            <p className="mb-1 break-words">
              <strong>{copy.to}:</strong> {m.to_address}
            </p>
            <p className="mb-2 text-sm">
              <strong>{copy.status}:</strong>{" "}
              {m.sent_at
                ? `sent ${m.sent_at.slice(0, 16).replace("T", " ")}`
                : m.last_error
                  ? `not sent yet (${m.attempts} failed attempts: ${m.last_error})`
                  : isSmtp
                    ? "waiting to send"
                    : "held in the outbox (demo mode)"}
              {" · queued "}
              {m.created_at.slice(0, 16).replace("T", " ")}
            </p>
            <pre className="whitespace-pre-wrap break-words bg-slate-50 p-3 font-sans">{m.body_text}</pre>
          </li>
        ))}
      </ol>
      <Pagination page={page} pageSize={PAGE_SIZE} total={outbox.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
