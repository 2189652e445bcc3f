// Counted nouns for every message, tree and tooltip: "1 event", "2 events", never "event(s)".

/** "1 webhook", "3 webhooks", "0 webhooks"; pass `many` when the plural is not `one` + "s" ("1 entry", "2 entries"). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "it" or "them", for a sentence about `count` things. */
export function itOrThem(count: number): string {
  return count === 1 ? 'it' : 'them';
}
