import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission, requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextareaField } from "~/components/ui/textarea-field";
import { JoinDecisionSchema } from "~/domain/forms/group-membership";
import { homeOf } from "~/domain/memberships";
import { formatDate } from "~/domain/phases";
import { communityGroupResource, getJoinRequest } from "~/models/community-group.server";
import { decideJoinRequest } from "~/services/group-membership.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: (group: string) => `Request to join ${group}`,
  who: "Who is asking",
  asked: "Asked on",
  nameGiven: "The name they gave their group",
  message: "Their message",
  noMessage: "No message.",
  approveTitle: "Approve",
  approveIntro: (name: string, group: string) =>
    `Approve only if you know ${name} belongs to ${group}. They become a member: they can read and write the group's proposals and answer the panel's questions.`,
  approve: "Approve: add them to the group",
  refuseTitle: "Refuse",
  reason: "Reason",
  reasonHint: "They read this reason. For example, that nobody in the group knows them, or that theirs is a different group with a similar name.",
  refuse: "Refuse the request",
  status: {
    pending: "Waiting for an answer.",
    approved: (by: string, on: string) => `Approved by ${by} on ${on}. They are now a member of the group.`,
    refused: (by: string, on: string) => `Refused by ${by} on ${on}.`,
  },
  done: {
    approved: "Request approved. They are now a member of the group, and we have emailed them.",
    refused: "Request refused. We have emailed them your reason.",
  },
  back: "Back to your home page",
  notFound: "We could not find that request to join. The link may be wrong.",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? copy.title(data.request.groupName) : "Request to join"} – Community Grant Decisions` },
];

/** The request, and the person acting under a membership that may answer it (403 otherwise). */
async function loadRequest(request: Request, requestId: string) {
  await requireUser(request);
  const db = getDb();
  const row = await getJoinRequest(db, requestId);
  if (!row) throw notFound(copy.notFound);
  const resource = await communityGroupResource(db, row.organisation_id);
  if (!resource) throw notFound(copy.notFound);
  const user = await requirePermission(request, "join_request.decide", resource);
  return { user, row };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await loadRequest(request, params.requestId ?? "");
  return json({
    request: {
      id: row.id,
      groupName: row.groupName,
      requesterName: row.requesterName,
      requesterEmail: row.requesterEmail,
      nameGiven: row.name_given,
      message: row.message,
      status: row.status,
      createdAt: row.created_at,
      decidedAt: row.decided_at,
      decidedByName: row.decidedByName,
      refusalReason: row.refusal_reason,
    },
    home: homeOf(user.role),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { user, row } = await loadRequest(request, params.requestId ?? "");
  return submitForm(form, JoinDecisionSchema, async (data) => {
    await decideJoinRequest(getDb(), user, row.id, data);
    return redirect(`/join-requests/${row.id}?done=${data.intent === "approve" ? "approved" : "refused"}`);
  });
}

export default function JoinRequestPage() {
  const { request, home } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const done = search.get("done");
  const errors = actionData?.errors;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {!actionData && (done === "approved" || done === "refused") ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title(request.groupName)}</h1>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{copy.who}</dt>
        <dd className="break-words">
          {request.requesterName} ({request.requesterEmail})
        </dd>
        <dt className="font-semibold">{copy.asked}</dt>
        <dd>{formatDate(request.createdAt)}</dd>
        <dt className="font-semibold">{copy.nameGiven}</dt>
        <dd className="break-words">{request.nameGiven}</dd>
        <dt className="font-semibold">{copy.message}</dt>
        <dd className="whitespace-pre-line break-words">{request.message || copy.noMessage}</dd>
      </dl>

      {request.status === "pending" ? (
        <>
          <p>{copy.status.pending}</p>
          <Form method="post" noValidate className="mb-8 border-2 border-slate-300 p-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="approve" />
            <h2 className="mt-0">{copy.approveTitle}</h2>
            <p>{copy.approveIntro(request.requesterName, request.groupName)}</p>
            <button type="submit" className="btn">
              {copy.approve}
            </button>
          </Form>
          <Form method="post" noValidate className="mb-8 border-2 border-slate-300 p-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="refuse" />
            <h2 className="mt-0">{copy.refuseTitle}</h2>
            <TextareaField name="reason" label={copy.reason} hint={copy.reasonHint} rows={4} defaultValue={actionData?.values?.reason} error={errors?.reason} />
            <button type="submit" className="btn-warning">
              {copy.refuse}
            </button>
          </Form>
        </>
      ) : (
        <div className="panel">
          <p className="font-semibold">
            {request.status === "approved"
              ? copy.status.approved(request.decidedByName ?? "", formatDate(request.decidedAt ?? request.createdAt))
              : copy.status.refused(request.decidedByName ?? "", formatDate(request.decidedAt ?? request.createdAt))}
          </p>
          {request.refusalReason ? <p className="mb-0 whitespace-pre-line break-words">{request.refusalReason}</p> : null}
        </div>
      )}
      <p>
        <Link to={home}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
