import type { ReactNode, TextareaHTMLAttributes } from "react";

/** A labelled textarea with optional hint and error, GOV.UK style. The textarea's id is its name. */
export function TextareaField({
  name,
  label,
  hint,
  error,
  rows = 5,
  ...textarea
}: { name: string; label: ReactNode; hint?: ReactNode; error?: string } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <label htmlFor={name} className="mb-1 block font-semibold">
        {label}
      </label>
      {hint ? (
        <p id={`${name}-hint`} className="mb-1 text-slate-700">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="mb-1 font-semibold text-red-800">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
      <textarea
        id={name}
        name={name}
        rows={rows}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        className={`input ${error ? "input-error" : ""}`}
        {...textarea}
      />
    </div>
  );
}
