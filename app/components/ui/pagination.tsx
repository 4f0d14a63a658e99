import { Link } from "@remix-run/react";

/** Previous / next links that keep the rest of the query string; `param` names the page number (for a page with several lists). */
export function Pagination({
  page,
  pageSize,
  total,
  search,
  param = "page",
  label = "Pages",
}: {
  page: number;
  pageSize: number;
  total: number;
  search: string;
  param?: string;
  label?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    params.set(param, String(p));
    return `?${params}`;
  };
  return (
    <nav aria-label={label} className="mt-6 flex items-center gap-6">
      {page > 1 ? <Link to={href(page - 1)}>Previous page</Link> : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={href(page + 1)}>Next page</Link> : null}
    </nav>
  );
}
