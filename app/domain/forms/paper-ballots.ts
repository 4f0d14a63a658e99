import { z } from "zod";
import { choicesFromForm, isPostcodeShape, normalisePostcode, type BallotKind, type Choices } from "../community-ballot";

const paperCount = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return 0;
      if (!/^\d{1,6}$/.test(value)) {
        ctx.addIssue({ code: "custom", message: `Enter the ${what} as a whole number, like 40, or 0` });
        return z.NEVER;
      }
      return Number(value);
    });

/** A venue that hands out paper ballots: its name, its postcode (optional, for the participation report) and its papers. */
export const VenueSchema = z.object({
  venueId: z.string().max(64).optional(),
  name: z.string({ required_error: "Enter the venue's name" }).trim().min(1, "Enter the venue's name").max(100, "The name must be 100 characters or fewer"),
  postcode: z
    .string()
    .trim()
    .max(12, "Enter the venue's postcode, like CO9 2AB")
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const postcode = normalisePostcode(value);
      if (!isPostcodeShape(postcode)) {
        ctx.addIssue({ code: "custom", message: "Enter the venue's postcode, like CO9 2AB, or leave it empty" });
        return z.NEVER;
      }
      return postcode;
    }),
  issued: paperCount("number of papers handed out"),
  returned: paperCount("number of papers handed back"),
});

/** The keying form's own fields; the choices are read with the ballot's form controls (choicesFromForm). */
const KeyingFieldsSchema = z
  .object({
    venueId: z.string({ required_error: "Choose the venue the paper came from" }).trim().min(1, "Choose the venue the paper came from").max(64),
    voterCode: z
      .string({ required_error: "Enter the voter code printed on the paper" })
      .trim()
      .min(1, "Enter the voter code printed on the paper")
      .max(40, "Enter the voter code printed on the paper, like ABCD-EFGH-JK"),
    spoilt: z.string().optional(),
  })
  .passthrough();

/** The paper keying form for a ballot of this kind and these projects: venue, voter code, and the choices or spoilt. */
export function paperKeyingSchema(kind: BallotKind, projectIds: readonly string[]) {
  return KeyingFieldsSchema.transform((v, ctx) => {
    const isSpoilt = v.spoilt === "yes";
    let choices: Choices = {};
    if (!isSpoilt) {
      const read = choicesFromForm(kind, projectIds, v);
      if (read.problem !== null) {
        ctx.addIssue({ code: "custom", path: ["choices"], message: read.problem });
        return z.NEVER;
      }
      choices = read.choices;
    }
    return { venueId: v.venueId, voterCode: v.voterCode, isSpoilt, choices };
  });
}

/** An administrator's choice of the right keying of a mismatched paper. */
export const ResolveMismatchSchema = z.object({
  keying: z.string({ required_error: "Choose the keying that matches the paper" }).trim().min(1, "Choose the keying that matches the paper").max(64),
});
