/**
 * A wide table inside its own scrolling region: on a phone it scrolls sideways there instead of
 * widening the page. The region is focusable, so a keyboard can scroll it, and named for screen
 * readers by `label` (the table's caption, usually). Written like a `<table>` it replaces.
 */
export function ScrollTable({ label, children, ...table }: { label: string } & React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table {...table}>{children}</table>
    </div>
  );
}
