// The workflow's update definitions, for route actions. Imported through this server-only module
// so the browser bundle does not carry the Temporal SDK that defines them.
export {
  decideReportUpdate,
  decideSlipUpdate,
  moveTemplateUpdate,
  reportMilestoneUpdate,
  resubmitReportUpdate,
  signOffStageUpdate,
} from "../../../workflows/shared";
