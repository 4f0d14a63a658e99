import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, TypedResponse } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { Pagination } from "~/components/ui/pagination";
import { DisableUserSchema } from "~/domain/forms/auth";
import { EndMembershipSchema } from "~/domain/forms/membership";
import { endMembership } from "~/services/memberships.server";
import { listUsers } from "~/models/user.server";
import { setUserDisabled } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";
import { pageFrom } from "~/utils/pagination";
import { DataTable } from "~/components/ui/data-table";

const PAGE_SIZE = 50;

const copy = {
  title: "People",
  intro:
    "Disabling an account signs that person out everywhere at once and stops them signing in. You can enable it again later. Ending one of someone's roles (for example when they leave a panel) keeps their account, their other roles and the record of what they did. Follow a person's name to export their personal data or to erase them.",
  caption: "Accounts",
  columns: ["Name", "Email", "Roles", "Status", "Action"],
  noRoles: "No roles yet",
  disable: "Disable",
  enable: "Enable",
  active: "Active",
  disabled: "Disabled",
  done: {
    disable: "Account disabled and signed out.",
    enable: "Account enabled.",
    endRole: "Role ended. The person keeps their account and their other roles; records of what they did in it are kept.",
  },
  endRole: "End",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "user.disable");
  const page = pageFrom(new URL(request.url));
  const users = await listUsers(getDb(), page, PAGE_SIZE);
  return json({ users, page, adminId: admin.id });
}

export async function action({ request }: ActionFunctionArgs): Promise<TypedResponse<FormActionData & { done?: string }>> {
  const admin = await requirePermission(request, "user.disable");
  const form = await readVerifiedForm(request);
  if (form.get("intent") === "end-role") {
    return submitForm(form, EndMembershipSchema, async (data) => {
      await endMembership(getDb(), admin, data.membershipId);
      return json({ done: copy.done.endRole });
    });
  }
  return submitForm(form, DisableUserSchema, async (data) => {
    await setUserDisabled(getDb(), admin, data.userId, data.intent === "disable");
    return json({ done: copy.done[data.intent] });
  });
}

export default function People() {
  const { users, page, adminId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <ErrorSummary errors={actionData?.errors} />
      {actionData?.done ? (
        <p role="status" className="panel font-semibold">
          {actionData.done}
        </p>
      ) : null}
      {/* relative keeps the buttons' sr-only text inside the scroll box, so the page does not scroll sideways at 320 px */}
      <DataTable caption={copy.caption} columns={copy.columns}>
        {users.rows.map((u) => (
          <tr key={u.id}>
            <td>
              {/* Subject access export and erasure (UK GDPR) */}
              <Link to={`/admin/people/${u.id}`}>
                {u.name}
                <span className="sr-only">: personal data</span>
              </Link>
            </td>
            <td className="break-all">{u.email}</td>
            <td>
              {u.roles.length ? (
                <ul className="m-0 list-none space-y-1 p-0">
                  {u.roles.map((role) => (
                    <li key={role.id} className="flex flex-wrap items-center gap-2">
                      <span>{role.label}</span>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="end-role" />
                        <input type="hidden" name="membershipId" value={role.id} />
                        <button type="submit" className="btn-secondary px-2 py-0 text-sm">
                          {copy.endRole}
                          <span className="sr-only">
                            {" "}
                            the role {role.label} of {u.name}
                          </span>
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              ) : (
                copy.noRoles
              )}
            </td>
            <td>{u.disabled_at ? copy.disabled : copy.active}</td>
            <td>
              {u.id === adminId ? null : (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="userId" value={u.id} />
                  <input type="hidden" name="intent" value={u.disabled_at ? "enable" : "disable"} />
                  <button type="submit" className={u.disabled_at ? "btn-secondary" : "btn-warning"}>
                    {u.disabled_at ? copy.enable : copy.disable}
                    <span className="sr-only"> {u.name}</span>
                  </button>
                </Form>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} pageSize={PAGE_SIZE} total={users.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
