import { z } from "zod";
import { CONSTITUENCIES, INVITABLE_ROLES, ROLE_HAS_CONSTITUENCY, ROLE_MAY_COVER_FUND, type Role } from "../roles";
import { emailField, nameField, newPasswordField } from "./fields";

export const LoginSchema = z.object({
  email: emailField,
  password: z.string({ required_error: "Enter your password" }).min(1, "Enter your password").max(1024),
  redirectTo: z.string().optional(),
});

export const RegisterSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
});

export const ForgotPasswordSchema = z.object({ email: emailField });

export const ResetPasswordSchema = z.object({ password: newPasswordField });

export const AcceptInvitationSchema = z.object({ name: nameField, password: newPasswordField });

/** The scope an invitation for each role must name, and what to say when it does not. */
const INVITATION_SCOPE: Partial<Record<Role, { field: "decisionGroupId" | "organisationId"; message: string }>> = {
  panel_member: { field: "decisionGroupId", message: "Choose the decision group they will sit on" },
  adviser: { field: "decisionGroupId", message: "Choose the decision group they will advise, or a whole fund" },
  lead_org: { field: "organisationId", message: "Choose the lead organisation they work for" },
};

export const InvitationSchema = z
  .object({
    // Its own messages: nameField's "Enter your full name" would speak to the administrator, not about the invitee.
    name: z
      .string({ required_error: "Enter the person's full name" })
      .trim()
      .min(1, "Enter the person's full name")
      .max(120, "Name must be 120 characters or fewer"),
    email: emailField,
    role: z.enum(INVITABLE_ROLES as [string, ...string[]], {
      errorMap: () => ({ message: "Choose the role they will have" }),
    }),
    constituency: z.string().optional(),
    decisionGroupId: z.string().optional(),
    organisationId: z.string().optional(),
    /** A specialist adviser for a whole fund, instead of one decision group. */
    fundId: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    // The role chosen on the form decides which other fields it needs (form input, not an access check).
    const chosen = v.role as Role;
    if (ROLE_HAS_CONSTITUENCY[chosen] && (!v.constituency || !(CONSTITUENCIES as readonly string[]).includes(v.constituency))) {
      ctx.addIssue({ code: "custom", path: ["constituency"], message: "Choose the panel member's constituency" });
    }
    const scope = INVITATION_SCOPE[chosen];
    if (v.fundId && !ROLE_MAY_COVER_FUND[chosen]) {
      ctx.addIssue({ code: "custom", path: ["fundId"], message: "Only specialist advisers can be invited for a whole fund. Leave the fund empty" });
    } else if (v.fundId && v.decisionGroupId) {
      ctx.addIssue({ code: "custom", path: ["fundId"], message: "Choose either a decision group or a whole fund for the adviser, not both" });
    } else if (scope && !v[scope.field] && !(ROLE_MAY_COVER_FUND[chosen] && v.fundId)) {
      ctx.addIssue({ code: "custom", path: [scope.field], message: scope.message });
    }
  });

export const DisableUserSchema = z.object({
  userId: z.string().min(1, "Choose a user"),
  intent: z.enum(["disable", "enable"]),
});
