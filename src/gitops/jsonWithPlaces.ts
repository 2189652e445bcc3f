// A strict JSON parser (RFC 8259) that remembers where each value starts, so a webhooks file's problems can be
// reported as file:line:column. JSON.parse's messages and positions differ between Node versions and name no line.

export interface Place {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like editors count them. */
  column: number;
}

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(message: string, readonly place: Place) {
    super(message);
  }
}

export interface ParsedJson {
  value: unknown;
  /** Where the value at a JSON Pointer (e.g. "/teams/0/webhooks/1/uri") starts; "" is the whole document. */
  placeOf(pointer: string): Place | undefined;
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseJsonWithPlaces(text: string): ParsedJson {
  const places = new Map<string, number>();
  // A leading byte order mark is what some Windows editors write; JSON.parse would refuse it, editors show nothing.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const placeAt = (offset: number): Place => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < offset && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  };
  const fail = (message: string, offset = i): never => {
    throw new JsonSyntaxError(message, placeAt(offset));
  };
  const describe = (offset: number): string =>
    offset >= text.length ? 'the end of the file' : `'${text[offset]}'`;

  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start);
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('Invalid escape in a string');
        }
      } else if (c.charCodeAt(0) < 0x20) {
        fail('Control character in a string (a line break inside quotes?)');
      } else {
        out += c;
        i++;
      }
    }
  };

  const parseValue = (pointer: string): unknown => {
    skipSpace();
    places.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[i] === '}') {
        i++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail(`Expected a property name in double quotes, found ${describe(i)}`);
        const keyStart = i;
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(object, key)) fail(`Duplicate property "${key}"`, keyStart);
        skipSpace();
        if (text[i] !== ':') fail(`Expected ":" after "${key}", found ${describe(i)}`);
        i++;
        // defineProperty: a "__proto__" key must become a plain property, not the object's prototype.
        Object.defineProperty(object, key, {
          value: parseValue(`${pointer}/${pointerToken(key)}`), enumerable: true, writable: true, configurable: true,
        });
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return object;
        }
        fail(`Expected "," or "}" after a property, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const array: unknown[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return array;
      }
      for (;;) {
        array.push(parseValue(`${pointer}/${array.length}`));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return array;
        }
        fail(`Expected "," or "]" after an array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return parseString();
    const literal = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) {
      i += literal[0].length;
      return literal[0] === 'true' ? true : literal[0] === 'false' ? false : null;
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    return fail(i >= text.length ? 'Unexpected end of the file: a value is missing' : `Unexpected ${describe(i)}`);
  };

  const value = parseValue('');
  skipSpace();
  if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON document`);
  return {
    value,
    placeOf(pointer) {
      const offset = places.get(pointer);
      return offset === undefined ? undefined : placeAt(offset);
    },
  };
}
