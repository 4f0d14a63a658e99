import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { issueCsrfToken, readVerifiedForm } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { signOut } from "~/services/accounts.server";
import { getDb } from "~/utils/db.server";

// GET never changes state: signing out is a POST from the header's button.
export const loader = () => redirect("/");

export async function action({ request }: ActionFunctionArgs) {
  await readVerifiedForm(request);
  const user = await getUser(request);
  const cleared = await signOut(getDb(), request, user?.id ?? null);
  const csrf = await issueCsrfToken(request);
  const headers = new Headers();
  headers.append("Set-Cookie", cleared);
  headers.append("Set-Cookie", csrf.setCookie);
  return redirect("/login?signedOut=1", { headers });
}

export const ErrorBoundary = GeneralErrorBoundary;
