import { describe, expect, it } from "vitest";
import { FUNDING_SOURCES } from "~/domain/records";
import { REPORT_KIND_KEYS } from "~/domain/reports";
import { ROLE_LABELS } from "~/platform/access.server";
import { INSTITUTION_ROLES, INSTITUTION_TYPES } from "../../db/queries/institutions";
import { CATALOGS } from "./catalog";
import { fundingSourceName, reportKindName, roleName } from "./labels";
import { LOCALES } from "./locales";
import { translatorFor } from "./server";

/**
 * Keys the pages build from a code (`t(\`instType.${code}\`)`) escape the literal-key check of
 * i18n.test.ts: here every code of every built-in list has its message, in every language.
 */
const REPORT_STATUSES = ["submitted", "verified", "returned", "rejected"];
const FAMILIES: Record<string, readonly string[]> = {
  "kind.": REPORT_KIND_KEYS,
  "hint.": REPORT_KIND_KEYS,
  "funding.": FUNDING_SOURCES,
  "role.": Object.keys(ROLE_LABELS),
  "instType.": Object.keys(INSTITUTION_TYPES),
  "instRole.": Object.keys(INSTITUTION_ROLES),
  "reportStatus.": REPORT_STATUSES,
  "rp.status.": REPORT_STATUSES,
  "status.": REPORT_STATUSES,
  "rp.history.report.": ["submitted", "resubmitted", "verified", "returned", "rejected"],
  "rp.done.": ["verified", "returned", "rejected"],
  "rp.already.": ["verified", "returned", "rejected"],
  "rp.alreadyBy.": ["verified", "returned", "rejected"],
  "inst.history.": ["start", "advance", "slip_back"],
  "notifications.kind.": ["reminder", "escalation", "gate_met", "slip_flagged", "returned", "signed_off", "handover_variance"],
  "admin.users.status.": ["active", "disabled"],
  "field.size.": ["micro", "small", "medium", "large"],
  "size.": ["micro", "small", "medium", "large"],
  "field.commitment.": ["government_budget_line", "multi_year_sponsor"],
  "sex.": ["female", "male"],
  "field.": ["managersFemale", "managersMale", "workersFemale", "workersMale"],
};

describe("built-in codes", () => {
  it("each have a name in every language", () => {
    const missing: string[] = [];
    for (const [prefix, codes] of Object.entries(FAMILIES))
      for (const code of codes)
        for (const l of LOCALES) if (!(`${prefix}${code}` in CATALOGS[l])) missing.push(`${l} ${prefix}${code}`);
    expect(missing).toEqual([]);
  });

  it("are named in the reader's language, and an unknown code still reads", () => {
    const es = translatorFor("es");
    expect(reportKindName(es, "tot_cohort")).toBe("Cohorte de formación de formadores completada");
    expect(fundingSourceName(translatorFor("fr"), "ilo")).toBe("OIT");
    expect(roleName(es, "ilo_officer")).toBe("Oficial de la OIT");
    expect(reportKindName(es, "new_kind_of_report")).toBe("new kind of report");
  });
});
