import type { ReactNode } from "react";

export interface CheckboxOption {
  /** The field name this box sends; defaults to the group's name (several boxes, one name). */
  name?: string;
  value: string;
  label: ReactNode;
  isChecked?: boolean;
}

/**
 * Checkboxes in a fieldset with a legend, GOV.UK style. The first box carries
 * the group's id so the error summary can link to it.
 */
export function CheckboxGroup({
  name,
  legend,
  hint,
  error,
  options,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: CheckboxOption[];
}) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby={describedBy}>
      <legend className="mb-1 font-semibold">{legend}</legend>
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
      {options.map((o, i) => {
        const id = i === 0 ? name : `${name}-${i}`;
        return (
          <div key={`${o.name ?? name}-${o.value}`} className="my-2 flex items-start gap-2">
            <input type="checkbox" id={id} name={o.name ?? name} value={o.value} defaultChecked={o.isChecked} className="mt-0.5 h-6 w-6 shrink-0" />
            <label htmlFor={id}>{o.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}
