import { z } from "zod";

/** Choosing which of your roles to act under. */
export const WearMembershipSchema = z.object({
  membershipId: z.string({ required_error: "Choose one of your roles" }).trim().min(1, "Choose one of your roles"),
});
