import { useEffect, useRef } from "react";

/** GOV.UK error summary: a list of links to the fields in error, focused when it appears. `hrefs` sends a field's link to another page. */
export function ErrorSummary({
  errors,
  title = "There is a problem",
  hrefs,
}: {
  errors?: Record<string, string> | null;
  title?: string;
  hrefs?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [entries.length, errors]);
  if (!entries.length) return null;
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="mb-8 border-4 border-red-700 p-4 focus:outline-none">
      <h2 id="error-summary-title" className="mt-0 text-xl">
        {title}
      </h2>
      <ul className="list-none space-y-1">
        {entries.map(([field, message]) => (
          <li key={field}>
            {field === "form" ? (
              <span className="font-semibold text-red-800">{message}</span>
            ) : (
              <a href={hrefs?.[field] ?? `#${field}`} className="font-semibold text-red-800">
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
