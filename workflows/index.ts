// Every workflow the worker runs. Each workflow type's name is its exported function's name:
// part of every recorded history, never renamed once deployed.
export { pathwayWorkflow } from "./pathway.workflow";
export { handoverWorkflow } from "./handover.workflow";
export { mailWorkflow } from "./mail.workflow";
