import { z } from "zod";
import { CONSTITUENCIES, INVITABLE_ROLES } from "../roles";
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
  })
  .superRefine((v, ctx) => {
    if (v.role === "panel_member") {
      if (!v.constituency || !(CONSTITUENCIES as readonly string[]).includes(v.constituency)) {
        ctx.addIssue({ code: "custom", path: ["constituency"], message: "Choose the panel member's constituency" });
      }
      if (!v.decisionGroupId) {
        ctx.addIssue({ code: "custom", path: ["decisionGroupId"], message: "Choose the decision group they will sit on" });
      }
    }
    if (v.role === "adviser" && !v.decisionGroupId) {
      ctx.addIssue({ code: "custom", path: ["decisionGroupId"], message: "Choose the decision group they will advise" });
    }
    if (v.role === "lead_org" && !v.organisationId) {
      ctx.addIssue({ code: "custom", path: ["organisationId"], message: "Choose the lead organisation they work for" });
    }
  });

export const DisableUserSchema = z.object({
  userId: z.string().min(1, "Choose a user"),
  intent: z.enum(["disable", "enable"]),
});
