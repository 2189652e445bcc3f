// Transit's "^N" cache, both sides, with transit-js's numbering rules (caching.js): what is cacheable, the
// 44-digit codes from "0", and the wrap after 44×44 entries. Ours rather than transit-js's because its
// WriteCache indexes a plain object by the string written, so a map key "__proto__" or "constructor" writes cache
// codes onto Object.prototype; and its ReadCache answers a code that points nowhere with undefined.
import type { ReadCache } from 'transit-js';

const MIN_SIZE_CACHEABLE = 3;
const CODE_DIGITS = 44;
const BASE_CHAR = 48; // '0'
const MAX_ENTRIES = CODE_DIGITS * CODE_DIGITS;

export function isCacheable(text: string, asMapKey: boolean): boolean {
  if (text.length <= MIN_SIZE_CACHEABLE) return false;
  if (asMapKey) return true;
  const second = text.charCodeAt(1);
  return text.charCodeAt(0) === 126 /* ~ */ && (second === 58 /* : */ || second === 36 /* $ */ || second === 35 /* # */);
}

function indexToCode(index: number): string {
  const high = Math.floor(index / CODE_DIGITS);
  const low = String.fromCharCode((index % CODE_DIGITS) + BASE_CHAR);
  return high === 0 ? '^' + low : '^' + String.fromCharCode(high + BASE_CHAR) + low;
}

function codeDigit(code: string, at: number): number {
  const value = code.charCodeAt(at) - BASE_CHAR;
  return value >= 0 && value < CODE_DIGITS ? value : NaN;
}

/** The index a "^N" code names, or NaN when the text is not a well-formed code. */
function codeToIndex(code: string): number {
  if (code.length === 2) return codeDigit(code, 1);
  if (code.length === 3) return codeDigit(code, 1) * CODE_DIGITS + codeDigit(code, 2);
  return NaN;
}

/** Replaces each repeat of a cacheable string with its code, in writing order. One per payload. */
export class WriteCache {
  private index = 0;
  private generation = 0;
  private readonly codes = new Map<string, { code: string; generation: number }>();

  write(text: string, asMapKey: boolean): string {
    if (!isCacheable(text, asMapKey)) return text;
    if (this.index === MAX_ENTRIES) {
      // The reader wraps to 0 at the same point; older entries must be written out again.
      this.index = 0;
      this.generation++;
    }
    const entry = this.codes.get(text);
    if (entry !== undefined && entry.generation === this.generation) return entry.code;
    this.codes.set(text, { code: indexToCode(this.index), generation: this.generation });
    this.index++;
    return text;
  }
}

/**
 * The read side, driven by transit-js's decoder (which also rewinds `idx` itself). Rejects a code that points at
 * nothing written in this payload, through `onBadCode`, instead of returning undefined or a stale value.
 */
export class CheckedReadCache implements ReadCache {
  idx = 0;
  private entries: unknown[] = [];
  private filled = 0;

  constructor(
    private readonly onBadCode: (code: string, wellFormed: boolean) => never,
    /** Called on every value read back, e.g. to copy it. */
    private readonly onRead: (value: unknown, asMapKey: boolean) => unknown,
  ) {}

  write(value: unknown): unknown {
    if (this.idx === MAX_ENTRIES) this.idx = 0;
    this.entries[this.idx++] = value;
    if (this.idx > this.filled) this.filled = this.idx;
    return value;
  }

  read(code: string, asMapKey?: boolean): unknown {
    const index = codeToIndex(code);
    if (!(index < this.filled)) this.onBadCode(code, !Number.isNaN(index));
    return this.onRead(this.entries[index], asMapKey === true);
  }

  clear(): void {
    this.idx = 0;
    this.filled = 0;
  }
}
