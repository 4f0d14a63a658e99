import type { InputHTMLAttributes, ReactNode } from "react";

/** A labelled file input with optional hint and error, GOV.UK style. The input's id is its name. */
export function FileField({
  name,
  label,
  hint,
  error,
  ...input
}: { name: string; label: ReactNode; hint?: ReactNode; error?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "type">) {
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
      <input id={name} name={name} type="file" aria-describedby={describedBy} aria-invalid={error ? true : undefined} className="block max-w-full" {...input} />
    </div>
  );
}
