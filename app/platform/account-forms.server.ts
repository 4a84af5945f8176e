import { z } from "zod";
import { PASSWORD_RULES } from "./password.server";

// The account pages' form schemas, server-only: the sign-in page, the first page everyone
// opens, ships no zod to the browser.

export const SignInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address").email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(200),
  redirectTo: z.string().default("/institutions"),
});

export const NewPasswordSchema = z
  .object({
    password: z
      .string()
      .min(PASSWORD_RULES.minLength, `Use at least ${PASSWORD_RULES.minLength} characters`)
      .max(PASSWORD_RULES.maxLength, `Use at most ${PASSWORD_RULES.maxLength} characters`),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

/** The first administrator, from the one-time set-up link: an address, a name and a password by the same rules. */
export const FirstAdministratorSchema = z
  .object({
    email: z.string().trim().min(1, "Enter your email address").email("Enter a valid email address").max(200),
    name: z.string().trim().min(2, "Enter the person's name").max(120),
    password: z
      .string()
      .min(PASSWORD_RULES.minLength, `Use at least ${PASSWORD_RULES.minLength} characters`)
      .max(PASSWORD_RULES.maxLength, `Use at most ${PASSWORD_RULES.maxLength} characters`),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });
