import { z } from "zod";
import { isoDateField } from "./fields";

/** One "You said, we did" entry: what participants told the fund, what it changed, and when. */
export const YouSaidWeDidSchema = z.object({
  youSaid: z
    .string({ required_error: "Enter what people said" })
    .trim()
    .min(1, "Enter what people said")
    .max(2000, "What people said must be 2,000 characters or fewer"),
  weDid: z
    .string({ required_error: "Enter what you did about it" })
    .trim()
    .min(1, "Enter what you did about it")
    .max(2000, "What you did must be 2,000 characters or fewer"),
  doneOn: isoDateField({ required: "Enter the date you made the change", invalid: "Enter the date you made the change as a real date, like 2026-11-30" }),
});

export type YouSaidWeDid = z.output<typeof YouSaidWeDidSchema>;
