import { z } from "zod";

/** Erasing a person: a reason for the record, and a tick that says the administrator knows it cannot be undone. */
export const ErasePersonSchema = z.object({
  reason: z
    .string({ required_error: "Enter why this person is being erased" })
    .trim()
    .min(1, "Enter why this person is being erased")
    .max(1000, "The reason must be 1,000 characters or fewer"),
  confirm: z.literal("yes", { errorMap: () => ({ message: "Tick the box to confirm that erasure cannot be undone" }) }),
});
