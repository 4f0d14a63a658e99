import { z } from "zod";
import { isoDateField, repeatedField } from "./fields";

const id = (message: string) => z.string({ required_error: message }).trim().min(1, message).max(64, message);

/** Opening a meeting. groupId is only read for administrators (members meet in their own group). */
export const OpenMeetingSchema = z.object({
  title: z
    .string({ required_error: "Enter the meeting's title" })
    .trim()
    .min(1, "Enter the meeting's title")
    .max(120, "The title must be 120 characters or fewer"),
  heldOn: isoDateField({ required: "Enter the date of the meeting", invalid: "Enter the date of the meeting as a real date, like 2027-03-14" }),
  groupId: z.string().trim().max(64).optional().default(""),
});

export const NoteSchema = z.object({
  body: z.string({ required_error: "Write the note" }).trim().min(1, "Write the note").max(5000, "A note must be 5,000 characters or fewer"),
});

export const CloseMeetingSchema = z.object({
  minutes: z
    .string({ required_error: "Write the minutes of the meeting" })
    .trim()
    .min(1, "Write the minutes of the meeting")
    .max(20000, "The minutes must be 20,000 characters or fewer"),
});

export const VOTE_CHOICES = ["fund", "dont_fund", "abstain"] as const;
export type PerProposalChoice = (typeof VOTE_CHOICES)[number];

export const VOTE_CHOICE_LABELS: Record<PerProposalChoice | "approve", string> = {
  fund: "Fund",
  dont_fund: "Don't fund",
  abstain: "Abstain",
  approve: "Approve",
};

export const VoteSchema = z.object({
  choice: z.enum(VOTE_CHOICES, { errorMap: () => ({ message: "Choose fund, don't fund or abstain" }) }),
});

/** Closing a per-proposal vote; the casting vote is only needed (and only read) when the vote is tied under the chair rule. */
export const CloseVoteSchema = z.object({
  castingVote: z
    .union([z.literal(""), z.enum(["fund", "dont_fund"])], { errorMap: () => ({ message: "Choose the chair's casting vote: fund or don't fund" }) })
    .optional()
    .transform((v) => (v ? v : null)),
});

export const ProposalIdSchema = z.object({ proposalId: id("Choose a proposal on the agenda") });

/** The ids ticked in a group of checkboxes (one name, sent once per box): none is allowed, anything not an id is refused. */
const tickedIds = (message: string) =>
  repeatedField(
    z
      .array(z.string().min(1, message).max(64, message))
      .max(1000, message)
      .transform((ids) => [...new Set(ids)]),
  );

/** The chair's attendance register. */
export const AttendanceSchema = z.object({ present: tickedIds("Tick the members who are present") });

/** A member's approval ballot: the proposals they approve. */
export const BallotSchema = z.object({ approve: tickedIds("Choose only proposals on this ballot.") });
