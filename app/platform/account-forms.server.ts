import { z } from "zod";
import { PASSWORD_RULES } from "./password.server";

// The account pages' form schemas, server-only: the sign-in page, the first page everyone
// opens, ships no zod to the browser.

export const SignInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address").email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(200),
  redirectTo: z.string().default("/institutions"),
});

/** A new password, by the rules every account follows, typed twice. */
const newPassword = {
  password: z
    .string()
    .min(PASSWORD_RULES.minLength, `Use at least ${PASSWORD_RULES.minLength} characters`)
    .max(PASSWORD_RULES.maxLength, `Use at most ${PASSWORD_RULES.maxLength} characters`),
  confirm: z.string(),
};
/** The second typing must match the first. */
const typedTwice = <T extends { password: string; confirm: string }>(schema: z.ZodType<T>) =>
  schema.refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

export const NewPasswordSchema = typedTwice(z.object(newPassword));

/** The first administrator, from the one-time set-up link: an address, a name and a password by the same rules. */
export const FirstAdministratorSchema = typedTwice(
  z.object({
    email: z.string().trim().min(1, "Enter your email address").email("Enter a valid email address").max(200),
    name: z.string().trim().min(2, "Enter the person's name").max(120),
    ...newPassword,
  }),
);
