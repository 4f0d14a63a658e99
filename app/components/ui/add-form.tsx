import { Form, useActionData, useNavigation, type FormProps } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";

/** Text boxes and file pickers, the parts of a form that hold what was sent (not hidden fields, choices or buttons). */
const CLEARED_INPUT_TYPES = new Set(["text", "email", "url", "search", "tel", "number", "date", "file"]);

/** Empties what the person typed or chose, so the form is ready for the next one. */
function clearSentValues(form: HTMLFormElement) {
  form.reset();
  // reset() goes back to each field's default, which React may have set from an earlier failed try's values.
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLTextAreaElement) element.value = "";
    else if (element instanceof HTMLInputElement && CLEARED_INPUT_TYPES.has(element.type)) element.value = "";
  }
}

const hasErrors = (data: unknown) => typeof data === "object" && data !== null && "errors" in data && Boolean((data as { errors?: unknown }).errors);

/**
 * A <Form> for adding something (a note, evidence, a question, a message, a file) that empties itself once its
 * submission has succeeded. Without JavaScript the redirect after a post loads a fresh, empty page; with it,
 * Remix keeps the page and the form kept what was sent, so a second click sent it again (issue 10, item 8).
 * Success means: this form was submitted, navigation is idle again, and the action returned no field errors
 * (after a redirect there is no action data at all). On errors, what was typed stays, as it should.
 */
export function AddForm({ onSubmit, ...props }: FormProps) {
  const navigation = useNavigation();
  const actionData = useActionData();
  const formRef = useRef<HTMLFormElement>(null);
  const isSentRef = useRef(false);

  useEffect(() => {
    if (navigation.state !== "idle" || !isSentRef.current) return;
    isSentRef.current = false;
    if (!hasErrors(actionData) && formRef.current) clearSentValues(formRef.current);
  }, [navigation.state, actionData]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    onSubmit?.(event);
    if (!event.defaultPrevented) isSentRef.current = true;
  };

  return <Form {...props} ref={formRef} onSubmit={handleSubmit} />;
}
