// Indents compact Transit (JSON text) for reading without re-encoding it: every token is kept as written, so a
// double stays `188.0` and cache codes stay `^0`. A Transit map (`["^ ", k1, v1, …]`) gets one key and value per
// line, a tagged value (`["~#set", […]]`, or its cache code `["^;", …]`) stays on its tag's line, short arrays stay on one line. The result is
// still the same Transit (only whitespace was added).

type Node = { kind: 'atom'; text: string } | { kind: 'array'; items: Node[] } | { kind: 'object'; entries: Array<[string, Node]> };

const INLINE_WIDTH = 72;
const INDENT = '  ';

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
    } else if ('[]{},:'.includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new Error('unterminated string');
      tokens.push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !' \n\r\t[]{},:"'.includes(text[j])) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function parse(tokens: string[]): Node {
  let at = 0;
  const expect = (token: string): void => {
    if (tokens[at] !== token) throw new Error(`expected ${token} at token ${at}`);
    at++;
  };
  const value = (): Node => {
    const token = tokens[at];
    if (token === undefined) throw new Error('unexpected end');
    if (token === '[') {
      at++;
      const items: Node[] = [];
      while (tokens[at] !== ']') {
        items.push(value());
        if (tokens[at] === ',') at++;
        else if (tokens[at] !== ']') throw new Error(`expected , or ] at token ${at}`);
      }
      at++;
      return { kind: 'array', items };
    }
    if (token === '{') {
      at++;
      const entries: Array<[string, Node]> = [];
      while (tokens[at] !== '}') {
        const key = tokens[at++];
        expect(':');
        entries.push([key, value()]);
        if (tokens[at] === ',') at++;
        else if (tokens[at] !== '}') throw new Error(`expected , or } at token ${at}`);
      }
      at++;
      return { kind: 'object', entries };
    }
    if (',:]}'.includes(token)) throw new Error(`unexpected ${token} at token ${at}`);
    at++;
    return { kind: 'atom', text: token };
  };
  const node = value();
  if (at !== tokens.length) throw new Error('text after the value');
  return node;
}

const isTransitMap = (node: Node): boolean => node.kind === 'array' && node.items[0]?.kind === 'atom' && node.items[0].text === '"^ "';
const isTagged = (node: Node): boolean =>
  node.kind === 'array' && node.items.length === 2 && node.items[0].kind === 'atom' && /^"(~#|\^[^ ])/.test(node.items[0].text);

function compact(node: Node): string {
  if (node.kind === 'atom') return node.text;
  if (node.kind === 'array') return `[${node.items.map(compact).join(', ')}]`;
  return `{${node.entries.map(([k, v]) => `${k}: ${compact(v)}`).join(', ')}}`;
}

function print(node: Node, indent: string): string {
  if (node.kind === 'atom') return node.text;
  const inner = indent + INDENT;
  if (isTagged(node) && node.kind === 'array') return `[${node.items[0].kind === 'atom' ? node.items[0].text : ''}, ${print(node.items[1], indent)}]`;
  if (isTransitMap(node) && node.kind === 'array') {
    const pairs = node.items.slice(1);
    if (pairs.length === 0) return '["^ "]';
    const lines: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) {
      const value = pairs[i + 1];
      lines.push(`${inner}${print(pairs[i], inner)}${value ? `, ${print(value, inner)}` : ''}`);
    }
    return `["^ ",\n${lines.join(',\n')}\n${indent}]`;
  }
  const flat = compact(node);
  const nested = node.kind === 'array' ? node.items.some((n) => n.kind !== 'atom' && (isTransitMap(n) || n.kind === 'object')) : true;
  if (flat.length + indent.length <= INLINE_WIDTH && !nested) return flat;
  if (node.kind === 'array') return `[\n${node.items.map((n) => inner + print(n, inner)).join(',\n')}\n${indent}]`;
  return `{\n${node.entries.map(([k, v]) => `${inner}${k}: ${print(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** `text` indented for reading; unchanged when it is not well-formed JSON. */
export function indentTransit(text: string): string {
  try {
    return print(parse(tokenize(text)), '');
  } catch {
    return text;
  }
}
