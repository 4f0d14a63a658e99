import { z } from "zod";

/** Choosing which of your roles to act under. */
export const WearMembershipSchema = z.object({
  membershipId: z.string({ required_error: "Choose one of your roles" }).trim().min(1, "Choose one of your roles"),
});

/** An administrator ends one of someone's roles. */
export const EndMembershipSchema = z.object({
  intent: z.literal("end-role"),
  membershipId: z.string({ required_error: "Choose a role to end" }).trim().min(1, "Choose a role to end"),
});
