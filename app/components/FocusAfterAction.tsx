import { useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Where keyboard focus goes once a form's action has answered: the first error (an error summary
 * or alert, else the first field marked invalid), else the result message (a `.notice` with
 * `role="status"`, or anything marked `data-result`). Lists' range lines and other live regions
 * that are not results are left alone.
 */
const ERRORS = '.error-summary, .form-error, .notice-bad, [role="alert"], [data-result="error"]';
const INVALID = '[aria-invalid="true"]';
const RESULTS = '.notice[role="status"], [data-result]';

function visible(el: Element): el is HTMLElement {
  return el instanceof HTMLElement && el.getClientRects().length > 0 && !el.closest("[hidden], [aria-hidden='true']");
}

/** The element an action's answer should put the keyboard on, or null when the page shows none. */
export function actionResult(root: ParentNode = document): HTMLElement | null {
  const scope = root.querySelector("main") ?? root;
  for (const selector of [ERRORS, INVALID, RESULTS]) {
    const found = Array.from(scope.querySelectorAll(selector)).find(visible);
    if (found) return found;
  }
  return null;
}

/** Focuses the action's result; an element that cannot take focus is made focusable (not tabbable) first. */
export function focusActionResult(root: ParentNode = document): HTMLElement | null {
  const el = actionResult(root);
  if (!el) return null;
  const focusable = el.matches("a[href], button, input, select, textarea, [tabindex]");
  if (!focusable) el.setAttribute("tabindex", "-1");
  el.focus();
  return el;
}

/**
 * Used once, in the root layout: after every form sent with POST (a sign-off, a verification, a
 * plan saved, a report sent, an import, an account change, an admin form), once the page has its
 * answer, focus moves to the result or the first error instead of falling to the top of the page.
 * A page that already put the focus somewhere on purpose (a new row's first field, its own result
 * with `useFocusResult`) keeps it.
 */
export function useFocusAfterAction(): void {
  const navigation = useNavigation();
  const pending = useRef<{ active: Element | null } | null>(null);
  const sending = navigation.state !== "idle" && !!navigation.formMethod && navigation.formMethod.toUpperCase() !== "GET";
  if (sending && !pending.current && typeof document !== "undefined") pending.current = { active: document.activeElement };
  useEffect(() => {
    if (navigation.state !== "idle" || !pending.current) return;
    const before = pending.current.active;
    pending.current = null;
    const now = document.activeElement;
    const movedOnPurpose = now && now !== document.body && now !== before && now.id !== "main";
    if (!movedOnPurpose) focusActionResult();
  }, [navigation.state]);
}
