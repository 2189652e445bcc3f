/** The message of anything thrown; PenpotError messages are already sentences a person can act on. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
