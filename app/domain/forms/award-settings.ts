import { z } from "zod";
import { parsePoundsToPence } from "../money";

/** A fund's payment and open-data settings: the four-eyes threshold and its 360Giving identifiers. */
export const AwardSettingsSchema = z.object({
  threshold: z
    .string({ required_error: "Enter the payment amount above which a second administrator must approve" })
    .trim()
    .min(1, "Enter the payment amount above which a second administrator must approve")
    .transform((v, ctx) => {
      const pence = parsePoundsToPence(v);
      if (pence === null) {
        ctx.addIssue({ code: "custom", message: "Enter the threshold in pounds, like 25000 or 25,000" });
        return z.NEVER;
      }
      return pence;
    }),
  funderPrefix: z
    .string({ required_error: "Enter your 360Giving identifier prefix" })
    .trim()
    .regex(/^360G-[A-Za-z0-9-]+$/, "Enter the prefix 360Giving gave you, starting 360G-, like 360G-bristolcc"),
  funderOrgId: z
    .string({ required_error: "Enter your organisation identifier" })
    .trim()
    .regex(/^[A-Z]{2}-[A-Z]{2,}-[A-Za-z0-9-]+$/, "Enter an org-id.guide identifier, like GB-LAE-BST or GB-CHC-1234567"),
  funderOrgName: z
    .string({ required_error: "Enter your organisation's name" })
    .trim()
    .min(1, "Enter your organisation's name")
    .max(200, "The name must be 200 characters or fewer"),
});

export type AwardSettings = z.output<typeof AwardSettingsSchema>;
