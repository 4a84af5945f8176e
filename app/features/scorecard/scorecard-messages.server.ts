// The scorecard's workflow update, for route actions: imported through a server-only module so the
// browser bundle does not carry the Temporal SDK that defines it.
export { assessmentRecordedUpdate } from "../../../workflows/shared";
