import type { ReactNode } from "react";

/**
 * A captioned table in a scroll region that keyboard users can focus, so wide
 * tables scroll inside themselves at 320 px instead of the page scrolling.
 * Children are the body rows.
 */
export function DataTable({
  caption,
  columns,
  children,
  className = "table",
  isCaptionVisible = false,
}: {
  caption: string;
  columns: readonly ReactNode[];
  children: ReactNode;
  className?: string;
  isCaptionVisible?: boolean;
}) {
  return (
    <div className="relative overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
      <table className={className}>
        <caption className={isCaptionVisible ? "mb-2 text-left font-semibold" : "sr-only"}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
