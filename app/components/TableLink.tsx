import { useNavigate } from "@remix-run/react";
import { useEffect, type AnchorHTMLAttributes } from "react";

/**
 * A link for tables with hundreds of them (the logframe's cells, a list's rows). Remix's `<Link>`
 * resolves its path, reads the router's state and sets up its click and prefetch handlers on the
 * server, for every link of every row. This is a plain anchor marked `data-nav`; once the page is
 * interactive, one listener on the document (`useTableLinkNavigation`, in the root) turns a plain
 * left click on it into the same client-side navigation `<Link>` makes. Before the scripts load,
 * and with a modifier key or another button (a new tab, a new window), it is an ordinary link.
 */
export function TableLink({ to, ...rest }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return <a href={to} data-nav="" {...rest} />;
}

/** The document's one click listener for every `TableLink` (see above). */
export function useTableLinkNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
        return;
      const anchor = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[data-nav]") : null;
      if (!anchor || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}
