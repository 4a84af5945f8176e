export const STATUS_TEXT: Record<string, string> = {
  draft: "Draft",
  submitted: "Submitted for review",
  returned: "Returned",
  approved: "Approved",
  active: "Active",
  closed: "Closed at handover",
};
