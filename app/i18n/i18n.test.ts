import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGS } from "./catalog";
import { fromAcceptLanguage, INTL_LOCALE, LOCALES } from "./locales";
import { translatorFor } from "./server";
import { makeTranslator } from "./translate";

const APP = new URL("..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

describe("catalogues", () => {
  it("give every language the same keys, none of them empty", () => {
    const english = Object.keys(CATALOGS.en).sort();
    expect(english.length).toBeGreaterThan(10);
    for (const l of LOCALES) {
      expect(Object.keys(CATALOGS[l]).sort(), l).toEqual(english);
      for (const [key, text] of Object.entries(CATALOGS[l])) expect(text.trim(), `${l} ${key}`).not.toBe("");
    }
  });

  it("keep the same placeholders in every language", () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGS.en))
      for (const l of LOCALES) expect(names(CATALOGS[l][key]), `${l} ${key}`).toEqual(names(CATALOGS.en[key]));
  });

  it('hold every key the code asks for with a literal t("…") or t.plural("…")', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(APP)) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) if (!(m[1] in CATALOGS.en)) missing.push(`${file}: ${m[1]}`);
      for (const m of src.matchAll(/\bt\.plural\(\s*"([a-zA-Z0-9_.-]+)"/g))
        if (!(`${m[1]}.other` in CATALOGS.en)) missing.push(`${file}: ${m[1]}.other`);
    }
    expect(missing).toEqual([]);
  });
});

describe("translator", () => {
  const catalog = { "x.hello": "Hello {name}", "x.files.one": "{count} file", "x.files.other": "{count} files" };

  it("fills placeholders and falls back to the key", () => {
    const t = makeTranslator("en", catalog);
    expect(t("x.hello", { name: "Ama" })).toBe("Hello Ama");
    expect(t("x.unknown")).toBe("x.unknown");
  });

  it("chooses plural forms by the language's rules", () => {
    expect(makeTranslator("en", catalog).plural("x.files", 1)).toBe("1 file");
    expect(makeTranslator("en", catalog).plural("x.files", 0)).toBe("0 files");
    // French treats 0 and 1 as singular.
    expect(makeTranslator("fr", catalog).plural("x.files", 0)).toBe("0 file");
    expect(makeTranslator("en", catalog).plural("x.files", 1200)).toBe("1,200 files");
  });

  it("takes the form each language's rule gives a count, falling back to other, then to the plain key", () => {
    const forms = { "x.n.one": "one:{count}", "x.n.many": "many:{count}", "x.n.other": "other:{count}", "x.plain": "{count}!" };
    const form = (l: "en" | "es" | "fr", n: number) => makeTranslator(l, forms).plural("x.n", n).split(":")[0];
    // English: only 1 is singular.
    expect([0, 1, 2, 1.5].map((n) => form("en", n))).toEqual(["other", "one", "other", "other"]);
    // Spanish: 1 singular; a round million takes "many" ("1 000 000 de formadores").
    expect([0, 1, 2, 1_000_000].map((n) => form("es", n))).toEqual(["other", "one", "other", "many"]);
    // French: 0, 1 and 1.5 are singular ("0 formateur", "1,5 jour").
    expect([0, 1, 1.5, 2, 1_000_000].map((n) => form("fr", n))).toEqual(["one", "one", "one", "other", "many"]);
    // A language with no "many" form in the catalogue uses "other"; a key with one form is used as it is.
    expect(makeTranslator("es", catalog).plural("x.files", 1_000_000)).toBe("1.000.000 files");
    expect(makeTranslator("en", forms).plural("x.plain", 3)).toBe("3!");
  });

  it("reads counts right in every language's catalogue", () => {
    for (const l of LOCALES) {
      const t = translatorFor(l);
      for (const key of Object.keys(CATALOGS.en).filter((k) => k.endsWith(".other"))) {
        const base = key.slice(0, -".other".length);
        expect(t.plural(base, 2, {}), `${l} ${key}`).toBe(t(key, { count: t.number(2) }));
      }
    }
    const [en, es, fr] = (["en", "es", "fr"] as const).map((l) => translatorFor(l));
    expect(en.plural("inst.trainers.all", 1)).toBe("1 trainer");
    expect(en.plural("inst.trainers.all", 3)).toBe("All 3 trainers");
    expect(es.plural("inst.trainers.all", 1)).toBe("1 formador");
    expect(fr.plural("graph.slip", 1)).toBe("1 signalée pour retour en arrière");
    expect(fr.plural("graph.slip", 0)).toBe("0 signalée pour retour en arrière");
    expect(es.plural("graph.slip", 0)).toBe("0 señaladas para retroceso");
    // An import of a single row, and its progress.
    const meta = { entity: "Institutions", by: "Ama", date: "5 Dec 2026" };
    expect(en.plural("import.batch.meta", 1, meta)).toBe("Institutions · checked by Ama on 5 Dec 2026 · 1 row");
    expect(en.plural("import.batch.meta", 1200, meta)).toBe("Institutions · checked by Ama on 5 Dec 2026 · 1,200 rows");
    expect(fr.plural("import.progress.writing", 1, { done: "0" })).toBe("Écriture : 0 sur 1 ligne");
    expect(fr.plural("import.progress.writing", 40, { done: "3" })).toBe("Écriture : 3 sur 40 lignes");
    expect(es.plural("import.progress.writing", 1, { done: "1" })).toBe("Escribiendo: 1 de 1 fila");
  });

  it("formats numbers, percentages, dates and money for the language", () => {
    const en = makeTranslator("en", {});
    const es = makeTranslator("es", {});
    const fr = makeTranslator("fr", {});
    expect(en.number(12345.5)).toBe("12,345.5");
    expect(es.number(12345.5)).toBe("12.345,5");
    expect(fr.number(12345.5).replace(/\s/g, " ")).toBe("12 345,5");
    expect(en.percent(62.67, 2)).toBe("62.67%");
    expect(es.percent(62.5).replace(/\s/g, " ")).toBe("62,5 %");
    expect(en.date("2026-03-14")).toBe("14 Mar 2026");
    expect(es.date("2026-03-14")).toBe("14 mar 2026");
    expect(fr.date("2026-03-14")).toBe("14 mars 2026");
    expect(en.money(123456789, "GHS")).toBe("GHS 1,234,567.89");
    expect(es.money(-5, "PEN")).toBe("PEN −0,05");
    expect(fr.money(100000n, "XOF", 0).replace(/\s/g, " ")).toBe("XOF 100 000");
  });

  it("fills the same message again with other values, and leaves a placeholder with no value as written", () => {
    const t = makeTranslator("en", {
      "x.of": "{from}–{to} of {total}",
      "x.share": "{share:percent} met, {share} kept",
      "x.braces": "{not a placeholder} {n}",
    });
    expect(t("x.of", { from: 1, to: 50, total: "5,000" })).toBe("1–50 of 5,000");
    expect(t("x.of", { from: 51, to: 100, total: "5,000" })).toBe("51–100 of 5,000");
    expect(t("x.of", { from: 1 })).toBe("1–{to} of {total}");
    expect(t("x.of")).toBe("{from}–{to} of {total}");
    expect(t("x.share", { "share:percent": "48.6%", share: 3 })).toBe("48.6% met, 3 kept");
    expect(t("x.braces", { n: "$&" })).toBe("{not a placeholder} $&");
    expect(t("no.such.{key}", { key: "k" })).toBe("no.such.k");
  });

  it("gives small whole numbers the same forms and formats as any other number", () => {
    for (const l of LOCALES) {
      const t = makeTranslator(l, { "n.one": "{count} one", "n.many": "{count} many", "n.other": "{count} other" });
      const plain = makeTranslator(l, {});
      for (const n of [0, 1, 2, 5, 21, 1_000, 1_023, 1_024, 1_000_000, 1.5, -1, -0, 0.1]) {
        // Asked twice: the second answer comes from what the first kept, where anything is kept.
        const category = new Intl.PluralRules(INTL_LOCALE[l]).select(n);
        const form = category === "one" || category === "many" ? category : "other";
        for (let i = 0; i < 2; i++) {
          expect(t.number(n), `${l} ${n}`).toBe(plain.number(n, { maximumFractionDigits: 3 }));
          expect(t.plural("n", n), `${l} ${n}`).toBe(`${plain.number(n, { maximumFractionDigits: 3 })} ${form}`);
        }
      }
    }
    const fr = makeTranslator("fr", { "n.one": "{count} un", "n.other": "{count} plusieurs" });
    expect([0, 1, 2, 0, 1, 2].map((n) => fr.plural("n", n))).toEqual([
      "0 un",
      "1 un",
      "2 plusieurs",
      "0 un",
      "1 un",
      "2 plusieurs",
    ]);
    expect(makeTranslator("en", {}).number(-0)).toBe("-0");
  });

  it("keeps money exact beyond float precision", () => {
    expect(makeTranslator("en", {}).money(9007199254740993n, "USD")).toBe("USD 90,071,992,547,409.93");
  });
});

describe("translators made once", () => {
  it("gives every caller of a catalogue and language the same translator, and reads the catalogue at each call", () => {
    const catalog: Record<string, string> = { hello: "Hello {name}", "n.one": "{count} item", "n.other": "{count} items" };
    const t = makeTranslator("en", catalog);
    expect(makeTranslator("en", catalog)).toBe(t);
    expect(makeTranslator("fr", catalog)).not.toBe(t);
    expect(makeTranslator("en", { ...catalog })).not.toBe(t);
    expect(t("hello", { name: "Ama" })).toBe("Hello Ama");
    expect(t.plural("n", 1200)).toBe("1,200 items");
    expect(makeTranslator("fr", catalog).plural("n", 1200)).toBe("1\u202f200 items");
    catalog.hello = "Hi {name}";
    expect(t("hello", { name: "Ama" })).toBe("Hi Ama");
  });
});

describe("Accept-Language", () => {
  it("picks the best supported language", () => {
    expect(fromAcceptLanguage("es-PE,es;q=0.9,en;q=0.5")).toBe("es");
    expect(fromAcceptLanguage("de-DE,fr;q=0.8,en;q=0.7")).toBe("fr");
    expect(fromAcceptLanguage("de, it;q=0.5")).toBeNull();
    expect(fromAcceptLanguage("en;q=0, fr;q=0.1")).toBe("fr");
    expect(fromAcceptLanguage(null)).toBeNull();
  });
});
