import { NavLink, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorSummary } from "~/components/ui/error-summary";
import { StatusTag } from "~/components/ui/status-tag";
import type { Tone } from "~/domain/status-tone";

const copy = {
  label: "Community team",
  links: [
    { path: "", label: "Ideas" },
    { path: "/engagement", label: "People engaged" },
    { path: "/support", label: "Mentoring and training" },
  ],
  term: (from: string, to: string) => `Paid term: ${from} to ${to}`,
};

/** The heading and pages of a community team, at the top of each of them. */
export function TeamHeader({
  team,
  term,
}: {
  team: { id: string; name: string; area: string; fundName: string };
  term: { from: string; to: string; label: string; tone: Tone };
}) {
  return (
    <div className="mb-6">
      <h1 className="mb-2">{team.name}</h1>
      <p className="mb-2">
        {team.area} · {team.fundName}
      </p>
      <p className="mb-4">
        {copy.term(term.from, term.to)} <StatusTag tone={term.tone}>{term.label}</StatusTag>
      </p>
      <nav aria-label={copy.label}>
        <ul className="flex flex-wrap gap-x-6 gap-y-1 border-b-2 border-slate-300 pb-2">
          {copy.links.map((l) => (
            <li key={l.path}>
              <NavLink to={`/teams/${team.id}${l.path}`} end className={({ isActive }) => (isActive ? "font-bold" : "")}>
                {l.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

/**
 * A team page: the error summary, the message after something was added
 * (?added=1, and no errors), the team's heading and pages, then the page.
 */
export function TeamPage({
  heading,
  errors,
  added,
  children,
}: {
  heading: Parameters<typeof TeamHeader>[0];
  errors?: Record<string, string>;
  added: string;
  children: ReactNode;
}) {
  const [searchParams] = useSearchParams();
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={errors} />
      {searchParams.get("added") && !errors ? (
        <p role="status" className="panel font-semibold">
          {added}
        </p>
      ) : null}
      <TeamHeader team={heading.team} term={heading.term} />
      {children}
    </div>
  );
}
