import type { InputHTMLAttributes, ReactNode } from "react";

interface FieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
}

function describedBy(name: string, hint?: ReactNode, error?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

function HintAndError({ name, hint, error }: Omit<FieldProps, "label">) {
  return (
    <>
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
    </>
  );
}

/** A labelled text input with optional hint and error, GOV.UK style. The input's id is its name. */
export function TextField({ name, label, hint, error, className, ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name">) {
  return (
    <div className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <label htmlFor={name} className="mb-1 block font-semibold">
        {label}
      </label>
      <HintAndError name={name} hint={hint} error={error} />
      <input
        id={name}
        name={name}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        className={`input ${error ? "input-error" : ""} ${className ?? ""}`}
        {...input}
      />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select. */
export function SelectField({
  name,
  label,
  hint,
  error,
  options,
  defaultValue,
  placeholder = "Choose…",
}: FieldProps & { options: Option[]; defaultValue?: string; placeholder?: string }) {
  return (
    <div className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <label htmlFor={name} className="mb-1 block font-semibold">
        {label}
      </label>
      <HintAndError name={name} hint={hint} error={error} />
      <select
        id={name}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        className={`input ${error ? "input-error" : ""}`}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Radios in a fieldset with a legend; the first radio carries the field's id so the error summary can link to it. */
export function RadioGroup({ name, label, hint, error, options, defaultValue }: FieldProps & { options: Option[]; defaultValue?: string }) {
  return (
    <fieldset className={`mb-6 ${error ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby={describedBy(name, hint, error)}>
      <legend className="mb-1 font-semibold">{label}</legend>
      <HintAndError name={name} hint={hint} error={error} />
      {options.map((o, i) => (
        <div key={o.value} className="my-2 flex items-center gap-2">
          <input
            type="radio"
            id={i === 0 ? name : `${name}-${o.value}`}
            name={name}
            value={o.value}
            defaultChecked={defaultValue === o.value}
            className="h-6 w-6"
          />
          <label htmlFor={i === 0 ? name : `${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
