/** The roles people hold, and their names in English: shared by the server's checks and the pages. */
export type Role = "ilo_admin" | "ilo_officer" | "programme_manager" | "institution_reporter" | "viewer";

export const ROLE_LABELS: Record<Role, string> = {
  ilo_admin: "ILO administrator",
  ilo_officer: "ILO officer",
  programme_manager: "Programme manager",
  institution_reporter: "Institution reporter",
  viewer: "Viewer",
};

export const ROLES = Object.keys(ROLE_LABELS) as Role[];
