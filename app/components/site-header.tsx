import { Form, Link, NavLink } from "@remix-run/react";
import { CsrfInput } from "./ui/csrf-input";

export interface HeaderUser {
  name: string;
  /** The membership the pages act under, or null for someone with none yet. */
  hatLabel: string | null;
  hatCount: number;
  nav: { to: string; label: string }[];
}

const copy = {
  service: "Community Grant Decisions",
  signedInAs: "Signed in as",
  actingAs: "Acting as",
  change: "Change role",
  changeDetail: "see all your roles",
  signOut: "Sign out",
  sessions: "Your sessions",
  sessionsDetail: "where you are signed in",
  twoFactor: "Two-factor sign-in",
  signIn: "Sign in",
  register: "Register",
  funds: "Funds",
};

/** The site header: who is signed in, with what role, their menu and a sign-out button. */
export function SiteHeader({ user }: { user: HeaderUser | null }) {
  return (
    <header className="border-b-8 border-blue-800 bg-slate-900 text-white print:hidden">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link to="/" className="text-xl font-bold text-white no-underline hover:text-white hover:underline">
          {copy.service}
        </Link>
        {user ? (
          <div className="flex flex-wrap items-center gap-3">
            <p className="m-0 text-sm">
              {copy.signedInAs} <strong>{user.name}</strong>
              {user.hatLabel ? (
                <>
                  {" "}
                  <span className="text-slate-200">
                    · {copy.actingAs}: <span data-testid="acting-as">{user.hatLabel}</span>
                  </span>
                </>
              ) : null}
              {user.hatCount > 1 ? (
                <>
                  {" "}
                  <Link to="/home" className="text-white underline hover:text-white">
                    {copy.change}
                    <span className="sr-only">, {copy.changeDetail}</span>
                  </Link>
                </>
              ) : null}
            </p>
            <Link to="/account/sessions" className="text-sm text-white underline hover:text-white">
              {copy.sessions}
              <span className="sr-only">: {copy.sessionsDetail}</span>
            </Link>
            <Link to="/account/two-factor" className="text-sm text-white underline hover:text-white">
              {copy.twoFactor}
            </Link>
            <Form method="post" action="/logout">
              <CsrfInput />
              <button type="submit" className="border border-white px-3 py-1 text-sm font-semibold text-white hover:bg-slate-700">
                {copy.signOut}
              </button>
            </Form>
          </div>
        ) : (
          <nav aria-label="Account" className="flex gap-4">
            <Link to="/funds" className="text-white hover:text-white">
              {copy.funds}
            </Link>
            <Link to="/login" className="text-white hover:text-white">
              {copy.signIn}
            </Link>
            <Link to="/register" className="text-white hover:text-white">
              {copy.register}
            </Link>
          </nav>
        )}
      </div>
      {user && user.nav.length > 0 ? (
        <nav aria-label="Main" className="bg-slate-800">
          <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-6 gap-y-1 px-4 py-2">
            {user.nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end className={({ isActive }) => `text-white hover:text-white ${isActive ? "font-bold" : ""}`}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}
