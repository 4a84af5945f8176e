import { useEffect, useRef } from "react";

/**
 * After an action, keyboard focus goes to what it produced: the result banner or the error
 * message, rather than falling to the top of the page. Give the element `tabIndex={-1}` and a
 * role (`status` or `alert`); `key` is what changes with each outcome (the message itself, or a
 * counter), and focus moves whenever it changes to something shown.
 */
export function useFocusResult<T extends HTMLElement = HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  return ref;
}
