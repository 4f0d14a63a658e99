import { NavLink } from "@remix-run/react";

const copy = {
  label: "Deliberation and decisions",
  results: "Results",
  allocation: "Allocation recommendation",
  decisions: "Decisions",
};

/** Links between a decision group's results, allocation and decisions pages. */
export function GroupDecisionNav({ groupId, groupName, fundName, canDecide }: { groupId: string; groupName: string; fundName: string; canDecide: boolean }) {
  const links = [
    { to: `/admin/groups/${groupId}/results`, label: copy.results },
    ...(canDecide
      ? [
          { to: `/admin/groups/${groupId}/allocation`, label: copy.allocation },
          { to: `/admin/groups/${groupId}/decisions`, label: copy.decisions },
        ]
      : []),
  ];
  return (
    <div className="mb-6">
      <p className="mb-2 text-lg text-slate-700">
        {groupName} ({fundName})
      </p>
      {links.length > 1 ? (
        <nav aria-label={copy.label}>
          <ul className="flex flex-wrap gap-x-6 gap-y-1 border-b-2 border-slate-300 pb-2">
            {links.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to} className={({ isActive }) => (isActive ? "font-bold" : "")}>
                  {l.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
