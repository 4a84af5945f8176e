/** What a password must be: checked on the server, and told to the person on the form. */
export const PASSWORD_RULES = { minLength: 12, maxLength: 200 };
