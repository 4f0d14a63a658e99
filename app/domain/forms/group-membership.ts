import { z } from "zod";
import { GroupMemberInviteSchema, GroupProfileSchema } from "./organisation";

/**
 * Inviting a person into an existing community group, from the
 * administrator's community groups page or a lead organisation's proposal
 * page: the same two fields as a member's own invitation form.
 */
export const GroupInviteSchema = GroupMemberInviteSchema;

/** "It's a different group": the profile again, with the box ticked to say it is not the group shown. */
export const DifferentGroupSchema = z.intersection(
  GroupProfileSchema,
  z.object({
    confirmDifferent: z.literal("yes", {
      errorMap: () => ({ message: "Tick the box to confirm your group is not the group shown" }),
    }),
  }),
);

/**
 * "Ask to join": the group chosen from the matches shown, the name the person
 * typed for their group (sent again from the profile form), and an optional
 * note for whoever approves.
 */
export const JoinRequestSchema = z.object({
  organisationId: z
    .string({ required_error: "Choose the group you want to join" })
    .trim()
    .min(1, "Choose the group you want to join")
    .max(64, "Choose the group you want to join"),
  name: z.string().trim().max(150, "Group name must be 150 characters or fewer").default(""),
  message: z.string().trim().max(1000, "Your message must be 1,000 characters or fewer").default(""),
});

export type JoinRequestInput = z.infer<typeof JoinRequestSchema>;

/** Approving a request to join, or refusing it with a reason the person reads. */
export const JoinDecisionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("approve") }),
    z.object({
      intent: z.literal("refuse"),
      reason: z
        .string({ required_error: "Write the reason you are refusing the request" })
        .trim()
        .min(1, "Write the reason you are refusing the request")
        .max(1000, "The reason must be 1,000 characters or fewer"),
    }),
  ],
  { errorMap: () => ({ message: "Choose whether to approve or refuse the request" }) },
);

export type JoinDecision = z.infer<typeof JoinDecisionSchema>;
