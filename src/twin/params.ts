// The twin's stand-in for the commands' malli schemas (§1.3): decodes the request params (a Transit tree with kebab
// keyword keys, from a JSON or Transit body or the query string) into plain values, and collects every problem into
// one 400 params-validation error whose `explain` reads like Penpot's (§2).
import { isTypedNode, keywordNameOfKey } from '../transit/nodes';
import { TYPE_KEY, type TransitMapObject, type TransitNode } from '../transit/types';
import { rpcError, unexpected } from './errors';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields whose values never appear in an explain (Penpot obfuscates them, §2). */
const SECRET_FIELDS = new Set(['password', 'old-password', 'token', 'client-secret']);

/**
 * Reads typed params. Each getter records a problem instead of throwing, so one request reports all of them;
 * call `check()` before using the values (invalid ones come back as placeholders).
 */
export class Params {
  private readonly problems = new Map<string, string>();

  constructor(private readonly params: TransitMapObject) {}

  private get(key: string): TransitNode | undefined {
    const value = this.params[key];
    return value === null ? undefined : value;
  }

  private problem(key: string, message: string): void {
    if (!this.problems.has(key)) this.problems.set(key, message);
  }

  private required(key: string): TransitNode | undefined {
    const value = this.get(key);
    if (value === undefined) this.problem(key, 'missing required key');
    return value;
  }

  uuid(key: string): string {
    return this.uuidOf(key, this.required(key)) ?? '';
  }

  optionalUuid(key: string): string | undefined {
    return this.uuidOf(key, this.get(key));
  }

  private uuidOf(key: string, value: TransitNode | undefined): string | undefined {
    if (value === undefined) return undefined;
    const text = isTypedNode(value) && value[TYPE_KEY] === 'uuid' ? value.value : value;
    if (typeof text === 'string' && UUID_PATTERN.test(text)) return text.toLowerCase();
    this.problem(key, 'should be a uuid');
    return undefined;
  }

  string(key: string, bounds: { min?: number; max?: number } = {}): string {
    const value = this.required(key);
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      this.problem(key, 'should be a string');
      return '';
    }
    const { min = 0, max = Infinity } = bounds;
    if (value.length < min || value.length > max) {
      this.problem(key, max === Infinity ? `should be at least ${min} characters` : `should be between ${min} and ${max} characters`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.required(key);
    if (value === undefined) return allowed[0];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `should be either ${allowed.join(' or ')}`);
    return allowed[0];
  }

  /** `::sm/uri`: any string (trimmed) parses; a Transit URI (`~r`, `~#uri`) is taken as its text. */
  uri(key: string): string {
    const value = this.required(key);
    if (value === undefined) return '';
    if (typeof value === 'string') return value.trim();
    if (isTypedNode(value)) {
      if (value[TYPE_KEY] === 'uri') return value.value.trim();
      if (value[TYPE_KEY] === 'tagged' && value.tag === 'uri' && typeof value.value === 'string') return value.value.trim();
    }
    this.problem(key, 'should be a uri');
    return '';
  }

  boolean(key: string): boolean {
    return this.booleanOf(key, this.required(key)) ?? false;
  }

  /** Booleans, plus the strings "true"/"false" that the JSON transformer turns into booleans (§1.3). */
  optionalBoolean(key: string): boolean | undefined {
    return this.booleanOf(key, this.get(key));
  }

  private booleanOf(key: string, value: TransitNode | undefined): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problem(key, 'should be a boolean');
    return undefined;
  }

  optionalString(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined || typeof value === 'string') return value;
    this.problem(key, 'should be a string');
    return undefined;
  }

  /**
   * `::ct/duration` in milliseconds (§3.10): a string is `Duration.parse("PT" + s)`, a number is milliseconds.
   * An unparsable string escapes the decoder as an exception: 500 unexpected, as in Penpot (derived).
   */
  optionalDurationMs(key: string): number | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (isTypedNode(value) && value[TYPE_KEY] === 'tagged' && value.tag === 'duration' && typeof value.value === 'number') {
      return value.value;
    }
    if (typeof value === 'string') {
      const ms = parseJavaDuration('PT' + value);
      if (ms === undefined) throw unexpected(`Text cannot be parsed to a Duration`);
      return ms;
    }
    this.problem(key, 'should be a duration');
    return undefined;
  }

  /** Throws the 400 params-validation error when any getter found a problem. */
  check(): void {
    if (this.problems.size === 0) return;
    const errors = [...this.problems].map(([key, message]) => `:${key} [${JSON.stringify(message)}]`).join(', ');
    const explain = `Errors:\n  {${errors}}\n\nValue:\n  ${edn(this.params)}\n`;
    throw rpcError('validation', 'params-validation', undefined, { explain });
  }
}

const DURATION = /^PT(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?$/i;

/** `java.time.Duration.parse` for the time part (`PT…H…M…S`); undefined where Java throws. */
export function parseJavaDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  const [hours, minutes, seconds] = [m[1], m[2], m[3]].map((x) => (x === undefined ? 0 : Number(x)));
  const fraction = m[4] ? Number(`0.${m[4]}`) * (m[3]?.startsWith('-') ? -1 : 1) : 0;
  return Math.round(((hours * 60 + minutes) * 60 + seconds + fraction) * 1000);
}

/** The params as Clojure prints them, for `explain`; secret values are masked. */
function edn(node: TransitNode, key?: string): string {
  if (key !== undefined && SECRET_FIELDS.has(key)) return '"********"';
  if (node === null) return 'nil';
  if (typeof node === 'string') return JSON.stringify(node);
  if (typeof node !== 'object') return String(node);
  if (Array.isArray(node)) return `[${node.map((n) => edn(n)).join(' ')}]`;
  if (!isTypedNode(node)) {
    return `{${Object.entries(node).map(([k, v]) => `:${keywordNameOfKey(k)} ${edn(v, keywordNameOfKey(k))}`).join(', ')}}`;
  }
  switch (node[TYPE_KEY]) {
    case 'keyword': return `:${node.name}`;
    case 'symbol': return node.name;
    case 'uuid': return `#uuid ${JSON.stringify(node.value)}`;
    case 'instant': return `#inst ${JSON.stringify(node.value)}`;
    case 'set': return `#{${node.items.map((n) => edn(n)).join(' ')}}`;
    case 'list': return `(${node.items.map((n) => edn(n)).join(' ')})`;
    case 'map': return `{${node.entries.map(([k, v]) => `${edn(k)} ${edn(v)}`).join(', ')}}`;
    case 'tagged': return `#${node.tag} ${edn(node.value)}`;
    default: return JSON.stringify(node.value);
  }
}
