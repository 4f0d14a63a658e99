import { json, type TypedResponse } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "~/domain/errors";
import { parseForm, type FieldErrors, type FormValues } from "./forms";

export interface SubmitFormOptions<E extends object> {
  /** More for the page on a 400, e.g. which of its forms was sent. */
  extra?: E;
  /** Values kept besides the input, e.g. the button that was pressed. */
  values?: FormValues;
  /** Where a DomainError with no field of its own is shown ("form", the top of the page, unless said). */
  errorField?: string;
  /** The fields this page shows, when not all the schema's: a message for any other goes to the top ("form"). */
  fields?: readonly string[];
}

export type FormErrorData<E extends object = object> = E & { errors: FieldErrors; values: FormValues };

/**
 * The one way a route handles a form: parse it with the form's zod schema,
 * answer 400 { errors, values } if it does not pass, otherwise run `handle`
 * (call the service, redirect). A DomainError thrown by `handle` becomes a
 * 400 with its message on its field and the input kept; anything else
 * (a thrown Response, a bug) is rethrown.
 */
export async function submitForm<S extends z.ZodTypeAny, R, E extends object = object>(
  form: FormData | URLSearchParams,
  schema: S,
  handle: (data: z.output<S>, values: FormValues) => Promise<R> | R,
  options: SubmitFormOptions<E> = {},
): Promise<R | TypedResponse<FormErrorData<E>>> {
  const parsed = parseForm(schema, form);
  const values = { ...parsed.values, ...options.values };
  const shown = (errors: FieldErrors): FieldErrors => {
    if (!options.fields) return errors;
    const onPage: FieldErrors = {};
    for (const [field, message] of Object.entries(errors)) onPage[options.fields.includes(field) ? field : "form"] ??= message;
    return onPage;
  };
  if (!parsed.ok) return formError(shown(parsed.errors), values, options.extra);
  try {
    return await handle(parsed.data, values);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return formError(shown({ [error.field ?? options.errorField ?? "form"]: error.message }), values, options.extra);
  }
}

/** A 400 for a form: the messages by field, the input to keep, and anything else the page needs. */
export function formError<E extends object = object>(errors: FieldErrors, values: FormValues = {}, extra?: E): TypedResponse<FormErrorData<E>> {
  return json({ ...(extra as E), errors, values }, { status: 400 });
}
