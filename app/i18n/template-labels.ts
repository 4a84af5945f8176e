import type { PathwayTemplate, TemplateDefinition } from "~/domain/template";
import { isMessage, type Message, type MessageParam } from "./message";

/**
 * Template data (stage, criterion and template names) in the reader's language: the words an
 * administrator typed for that language in the template editor, else the default language's
 * words as typed (decision 026). Pages localise a template once in their loader and show its
 * `name` and `label` fields as before.
 */

type Labelled<F extends string> = { i18n?: Record<string, Partial<Record<F, string>>> };

/** `item[field]` in `locale`, falling back to the default language's text. */
export function labelIn<F extends string>(item: Labelled<F> & Record<F, string>, field: F, locale: string): string {
  const own = item.i18n?.[locale]?.[field]?.trim();
  return own ? own : item[field];
}

/** The definition with every stage name, stage description and criterion label in `locale`. */
export function localiseDefinition(def: TemplateDefinition, locale: string): TemplateDefinition {
  return {
    ...def,
    stages: def.stages.map((s) => ({
      ...s,
      name: labelIn(s, "name", locale),
      description: labelIn(s, "description", locale),
      gate: s.gate.map((c) => ({ ...c, label: labelIn(c, "label", locale) })),
    })),
  };
}

/** The template with its name and definition in `locale`. */
export function localiseTemplate<T extends Pick<PathwayTemplate, "name" | "definition">>(template: T, locale: string): T {
  const name = template.definition.i18n?.[locale]?.name?.trim();
  return { ...template, name: name || template.name, definition: localiseDefinition(template.definition, locale) };
}

/** A stage's name in `locale` by its key (the key itself when the template lacks it). */
export function stageNameIn(def: TemplateDefinition, stageKey: string, locale: string): string {
  const s = def.stages.find((x) => x.key === stageKey);
  return s ? labelIn(s, "name", locale) : stageKey;
}

/**
 * Default-language words of template data → their words in `locale`, for the names the
 * workflows stored inside messages (a notification's `{stage}` holds the stage's name as the
 * template had it). Built from every template a page may show.
 */
export function templateTerms(defs: Iterable<TemplateDefinition>, locale: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const def of defs)
    for (const s of def.stages) {
      const name = labelIn(s, "name", locale);
      if (name !== s.name && !terms.has(s.name)) terms.set(s.name, name);
      for (const c of s.gate) {
        const label = labelIn(c, "label", locale);
        if (label !== c.label && !terms.has(c.label)) terms.set(c.label, label);
      }
    }
  return terms;
}

// The message parameters that hold template data.
const TERM_PARAMS = new Set(["stage", "from", "to", "criterion", "label"]);

function localiseParam(name: string, value: MessageParam, terms: Map<string, string>): MessageParam {
  if (typeof value === "string") return TERM_PARAMS.has(name) ? (terms.get(value) ?? value) : value;
  if (Array.isArray(value)) return value.map((v) => localiseMessage(v, terms)!);
  if (isMessage(value)) return localiseMessage(value, terms)!;
  return value;
}

/** A stored message whose template-data parameters (`stage`, `criterion`…) are given in the reader's language. */
export function localiseMessage<M extends Message | null | undefined>(m: M, terms: Map<string, string>): M {
  if (!m || !m.params || terms.size === 0) return m;
  const params: Record<string, MessageParam> = {};
  for (const [name, value] of Object.entries(m.params)) params[name] = localiseParam(name, value, terms);
  return { ...m, params } as M;
}

/**
 * A stored gate evaluation (stage name and criterion labels as the template had them when it was
 * evaluated) with its names in `locale`, read from the template by stage and criterion key.
 */
export function localiseGate<G extends { stageKey: string; stageName: string; criteria: { key: string; label: string }[] }>(
  gate: G,
  def: TemplateDefinition,
  locale: string,
): G {
  const stage = def.stages.find((s) => s.key === gate.stageKey);
  if (!stage) return gate;
  return {
    ...gate,
    stageName: labelIn(stage, "name", locale),
    criteria: gate.criteria.map((c) => {
      const own = stage.gate.find((x) => x.key === c.key);
      return own ? { ...c, label: labelIn(own, "label", locale) } : c;
    }),
  };
}

/** A module's name in `locale` (the `modules.labels` column), else its default name. */
export function moduleNameIn(m: { name: string; labels?: Record<string, string> | null }, locale: string): string {
  return m.labels?.[locale]?.trim() || m.name;
}
