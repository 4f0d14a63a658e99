import { Link, NavLink } from "@remix-run/react";

const copy = {
  label: "Fund set-up",
  back: "All funds",
  links: [
    { path: "", label: "Details and phases" },
    { path: "/eligibility", label: "Eligibility questions" },
    { path: "/criteria", label: "Scoring criteria" },
    { path: "/groups", label: "Decision groups" },
    { path: "/teams", label: "Community teams" },
  ],
  preview: "Public page",
};

/** The fund's set-up pages, shown at the top of each of them. */
export function FundAdminNav({ fundId, fundName }: { fundId: string; fundName: string }) {
  return (
    <div className="mb-6">
      <p className="mb-2">
        <Link to="/admin/funds">{copy.back}</Link>
      </p>
      <p className="mb-2 text-lg text-slate-700">{fundName}</p>
      <nav aria-label={copy.label}>
        <ul className="flex flex-wrap gap-x-6 gap-y-1 border-b-2 border-slate-300 pb-2">
          {copy.links.map((l) => (
            <li key={l.path}>
              <NavLink to={`/admin/funds/${fundId}${l.path}`} end={l.path === ""} className={({ isActive }) => (isActive ? "font-bold" : "")}>
                {l.label}
              </NavLink>
            </li>
          ))}
          <li>
            <Link to={`/funds/${fundId}`}>{copy.preview}</Link>
          </li>
        </ul>
      </nav>
    </div>
  );
}
