import type { AreaMessages } from "./define";
import { LOCALES, type Locale } from "./locales";
import type { Catalog } from "./translate";
import common from "./messages/common";
import scorecard from "./messages/scorecard";
import templates from "./messages/templates";
import format from "./messages/format";
import problems from "./messages/problems";
import forms from "./messages/forms";
import basis from "./messages/basis";
import auth from "./messages/auth";
import institutions from "./messages/institutions";
import graph from "./messages/graph";
import portfolio from "./messages/portfolio";
import analytics from "./messages/analytics";
import reports from "./messages/reports";
import verify from "./messages/verify";
import notifications from "./messages/notifications";
import admin from "./messages/admin";
import indicators from "./messages/indicators";
import handover from "./messages/handover";
import importArea from "./messages/import";
import refusals from "./messages/refusals";
import setup from "./messages/setup";
import programme from "./messages/programme";
import drafts from "./messages/drafts";
import mail from "./messages/mail";
import api from "./messages/api";

/**
 * Every area's messages. Each area owns a file in ./messages with its own key prefix; add the
 * file here. Keys must be unique across areas (checked below and by a unit test).
 */
const AREAS: Record<string, AreaMessages<string>> = {
  common,
  scorecard,
  templates,
  format,
  problems,
  forms,
  basis,
  auth,
  institutions,
  graph,
  portfolio,
  analytics,
  reports,
  verify,
  notifications,
  admin,
  indicators,
  handover,
  import: importArea,
  refusals,
  setup,
  programme,
  drafts,
  mail,
  api,
};

function build(): Record<Locale, Catalog> {
  const out = Object.fromEntries(LOCALES.map((l) => [l, {} as Catalog])) as Record<Locale, Catalog>;
  const owner = new Map<string, string>();
  for (const [area, messages] of Object.entries(AREAS)) {
    for (const key of Object.keys(messages.en)) {
      const other = owner.get(key);
      if (other) throw new Error(`Message "${key}" is defined by both ${other} and ${area}`);
      owner.set(key, area);
    }
    for (const l of LOCALES) Object.assign(out[l], messages[l]);
  }
  return out;
}

export const CATALOGS: Record<Locale, Catalog> = build();
export const AREA_NAMES = Object.keys(AREAS);
