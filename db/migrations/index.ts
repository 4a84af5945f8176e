import type { Migration } from "kysely";
import * as m001 from "./001_initial";
import * as m002 from "./002_accounts";
import * as m003 from "./003_handover_plans";
import * as m004 from "./004_user_locale";
import * as m005 from "./005_programme_targets";
import * as m006 from "./006_scorecard";
import * as m007 from "./007_template_versions";
import * as m008 from "./008_indicators";
import * as m009 from "./009_imports";
import * as m010 from "./010_institution_status";
import * as m011 from "./011_message_keys";
import * as m012 from "./012_list_indexes";
import * as m013 from "./013_aggregate_indexes";
import * as m015 from "./015_adoption";
import * as m016 from "./016_history_import";
import * as m017 from "./017_logframe_as_written";
import * as m018 from "./018_mail";
import * as m019 from "./019_template_labels";
import * as m020 from "./020_api";
import * as m021 from "./021_read_model_changes";
import * as m024 from "./024_api_rate_windows";
import * as m025 from "./025_read_model_status_changes";
import * as m026 from "./026_read_model_note_once";
import * as m027 from "./027_read_model_inbox";

/** Every migration, in order. Listed statically so bundlers and tsx see the same set. */
export const migrations: Record<string, Migration> = {
  "001_initial": m001,
  "002_accounts": m002,
  "003_handover_plans": m003,
  "004_user_locale": m004,
  "005_programme_targets": m005,
  "006_scorecard": m006,
  "007_template_versions": m007,
  "008_indicators": m008,
  "009_imports": m009,
  "010_institution_status": m010,
  "011_message_keys": m011,
  "012_list_indexes": m012,
  "013_aggregate_indexes": m013,
  "015_adoption": m015,
  "016_history_import": m016,
  "017_logframe_as_written": m017,
  "018_mail": m018,
  "019_template_labels": m019,
  "020_api": m020,
  "021_read_model_changes": m021,
  "024_api_rate_windows": m024,
  "025_read_model_status_changes": m025,
  "026_read_model_note_once": m026,
  "027_read_model_inbox": m027,
};
