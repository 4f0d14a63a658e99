import type { ReactNode } from "react";

/**
 * The fieldset of a ballot (community vote or meeting vote): its rule as the
 * legend, a hint, and the error for the whole set of choices. The first
 * choice inside carries the id "choices", so the error summary links to it.
 */
export function ChoicesFieldset({ legend, hint, error, children }: { legend: ReactNode; hint: ReactNode; error?: string; children: ReactNode }) {
  return (
    <fieldset className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby={`choices-hint${error ? " choices-error" : ""}`}>
      <legend className="mb-1 text-xl font-bold">{legend}</legend>
      <p id="choices-hint" className="mb-2 text-slate-700">
        {hint}
      </p>
      {error ? (
        <p id="choices-error" className="mb-2 font-semibold text-red-800">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}
