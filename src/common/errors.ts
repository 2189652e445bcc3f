// The text of anything thrown, for messages and logs: one helper for the core, the CLI and the extension.

/** The message of an Error (PenpotError messages are already sentences a person can act on), else the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
