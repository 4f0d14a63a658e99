import type { LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { issueCsrfToken, readCsrfToken } from "~/auth/csrf.server";
import { getUser } from "~/auth/guards.server";
import { DemoAccountsBanner } from "~/components/demo-accounts-banner";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { SiteHeader } from "~/components/site-header";
import { navigationFor } from "~/domain/navigation";
import { hatLabel } from "~/domain/memberships";
import { can } from "~/domain/permissions";
import { countDemoAccounts } from "~/models/portal-status.server";
import { getDb } from "~/utils/db.server";
import { newToken } from "~/utils/ids.server";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  // public/favicon.ico answers browsers that ask for it without a link; the SVG is sharp at any size.
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [{ title: error ? errorPageTitle(error) : "Community Grant Decisions" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request);
  let csrfToken = await readCsrfToken(request);
  if (!csrfToken) {
    const issued = await issueCsrfToken(request);
    csrfToken = issued.token;
    context?.pendingCookies?.push(issued.setCookie);
  }
  // Administrators see a banner on every page while demo accounts (published passwords) can sign in.
  const demoAccounts = user && can(user, "admin.access") ? await countDemoAccounts(getDb()) : 0;
  return json({
    csrfToken,
    demoAccounts,
    // A fresh one-time key on every page load, sent by every form (CsrfInput): see app/domain/submissions.ts.
    submissionKey: newToken(16),
    user: user
      ? { name: user.name, role: user.role, hatLabel: user.hat ? hatLabel(user.hat) : null, hatCount: user.memberships.length, nav: navigationFor(user.role) }
      : null,
  });
}

export type RootLoaderData = SerializeFrom<typeof loader>;

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main-content" className="sr-only-focusable absolute left-2 top-2 z-50 bg-yellow-300 p-2 text-slate-900">
          Skip to main content
        </a>
        <SiteHeader user={data?.user ?? null} />
        <DemoAccountsBanner count={data?.demoAccounts ?? 0} />
        <main id="main-content" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 focus:outline-none">
          {children}
        </main>
        <footer className="mt-12 border-t-4 border-blue-800 bg-slate-100 print:hidden">
          <div className="mx-auto max-w-5xl px-4 py-6 text-sm text-slate-800">Community Grant Decisions: grant decisions made with the community.</div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;
