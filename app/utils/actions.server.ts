import { DomainError } from "~/domain/errors";
import type { FieldErrors, FormValues } from "./forms";
import { badRequest } from "./http.server";

export interface FormActionData {
  errors?: FieldErrors;
  values?: FormValues;
}

/** Turns a DomainError into a 400 with the message on its field; anything else is rethrown. */
export function domainErrorResponse<T extends FormActionData = FormActionData>(error: unknown, values: FormValues) {
  if (!(error instanceof DomainError)) throw error;
  return badRequest<T>({ errors: { [error.field ?? "form"]: error.message }, values } as T);
}
