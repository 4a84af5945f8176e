/**
 * A message as it travels between the workflows, the database and the pages: a catalogue key and
 * the values to put in it, never a sentence. It is rendered in the reader's language where it is
 * shown (./render.ts). Params hold plain values; a value that is itself a message (a slip's reason
 * inside a notice) is a nested `{ key, params }`; a list of messages is shown joined by commas.
 *
 * Pure data with no imports: the workflows and app/domain build messages too.
 */
export type MessageParam = string | number | null | Message | Message[];

export interface Message {
  key: string;
  params?: Record<string, MessageParam>;
}

export function message(key: string, params?: Record<string, MessageParam>): Message {
  return params ? { key, params } : { key };
}

export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as Message).key === "string";
}
