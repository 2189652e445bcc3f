// The repository's docs are the reference the code cites: every `§N.M` in src/, test/, bench/ or media/ must have a
// heading with that number in docs/penpot-api.md (and a `§4.1 step N` a step N in that section), and every
// `docs/….md` or `docs/….md#anchor` named in code must point at an existing file and heading.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { findFiles } from '../harness/files';

const root = resolve(__dirname, '..', '..');
const API_DOC = 'docs/penpot-api.md';
const CODE_DIRS = ['src', 'test', 'bench', 'media'];
const CODE_SUFFIXES = ['.ts', '.mts', '.mjs', '.js', '.json', '.css', '.html'];

interface Citation {
  /** Section number as cited, e.g. "4.1". */
  section: string;
  /** The step of "§4.1 step 5", when one is named. */
  step?: number;
  /** Where it was found: "file:line". */
  where: string;
}

/** One numbered section of a docs page: its number, its anchor and its text up to the next numbered heading. */
interface Section {
  number: string;
  anchor: string;
  body: string;
}

/** GitHub's heading anchor: lower case, punctuation (including "§" and ".") dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading's anchor in a Markdown text, with GitHub's "-1", "-2" suffixes for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

/** The numbered sections of a page: headings written `## §4. Title` or `### §4.1 Title`. */
function sections(markdown: string): Map<string, Section> {
  const found = new Map<string, Section>();
  const headings = [...markdown.matchAll(/^#{2,4}\s+§(\d+(?:\.\d+)*)\.?\s+(.*)$/gm)];
  headings.forEach((match, i) => {
    const number = match[1];
    if (found.has(number)) throw new Error(`${API_DOC}: section §${number} has two headings`);
    const end = i + 1 < headings.length ? headings[i + 1].index : markdown.length;
    const body = markdown.slice(match.index + match[0].length, end);
    found.set(number, { number, anchor: slug(match[0].replace(/^#+/, '')), body });
  });
  return found;
}

/** "3.9" to "3.12" gives 3.9, 3.10, 3.11, 3.12; anything else gives both ends only. */
function expandRange(from: string, to: string): string[] {
  const a = from.split('.');
  const b = to.split('.');
  const same = a.length === b.length && a.slice(0, -1).join('.') === b.slice(0, -1).join('.');
  const first = Number(a[a.length - 1]);
  const last = Number(b[b.length - 1]);
  if (!same || last < first) return [from, to];
  const prefix = a.slice(0, -1).map((part) => `${part}.`).join('');
  return Array.from({ length: last - first + 1 }, (_, k) => `${prefix}${first + k}`);
}

/**
 * The `§N.M` citations of one file's text. Sections of other documents named just before (`RFC 9110 §7.6.1`) are
 * not ours and are skipped; a range `§3.9–§3.12` cites every section in it.
 */
function citations(text: string, file: string): Citation[] {
  const found: Citation[] = [];
  const pattern = /(RFC\s*\d+\s*)?§(\d+(?:\.\d+)*)(?:\s*[–-]\s*§?(\d+(?:\.\d+)*))?(?:\s+step\s+(\d+))?/g;
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(pattern)) {
      if (match[1]) continue;
      const where = `${file}:${i + 1}`;
      const numbers = match[3] ? expandRange(match[2], match[3]) : [match[2]];
      for (const section of numbers) found.push({ section, where });
      if (match[4] && !match[3]) found[found.length - 1].step = Number(match[4]);
    }
  });
  return found;
}

/** What is wrong with these citations against the page's sections, one line per problem. */
function unresolved(cited: Citation[], page: Map<string, Section>): string[] {
  const problems: string[] = [];
  for (const { section, step, where } of cited) {
    const target = page.get(section);
    if (!target) problems.push(`${where}: §${section} has no heading in ${API_DOC}`);
    else if (step !== undefined && !target.body.includes(`**Step ${step} `)) {
      problems.push(`${where}: §${section} step ${step} is not a step of that section in ${API_DOC}`);
    }
  }
  return problems;
}

/** `docs/….md` and `docs/….md#anchor` references in one file's text. */
function docLinks(text: string, file: string): { path: string; anchor?: string; where: string }[] {
  const found: { path: string; anchor?: string; where: string }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(/(?<![\w/.-])(docs\/[\w./-]+?\.md)(?:#([\w-]+))?/g)) {
      found.push({ path: match[1], anchor: match[2], where: `${file}:${i + 1}` });
    }
  });
  return found;
}

/** This file: its self-tests cite missing sections and anchors on purpose, so it is not scanned. */
const SELF = 'test/unit/docs.test.ts';

/** The code files that may cite the docs, relative to the repository root. */
function codeFiles(): string[] {
  return CODE_DIRS.flatMap((dir) => findFiles(join(root, dir), ''))
    .filter((file) => CODE_SUFFIXES.some((suffix) => file.endsWith(suffix)))
    .map((file) => relative(root, file).split('\\').join('/'))
    .filter((file) => file !== SELF);
}

function read(file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

describe('docs/penpot-api.md', () => {
  const page = read(API_DOC);
  const numbered = sections(page);

  it('has a heading for every § the code cites', () => {
    const cited = codeFiles().flatMap((file) => citations(read(file), file));
    assert.ok(cited.length > 100, `only ${cited.length} citations found: is the scan looking in the right places?`);
    assert.deepEqual(unresolved(cited, numbered), []);
  });

  it('resolves its own § cross-references', () => {
    assert.deepEqual(unresolved(citations(page, API_DOC), numbered), []);
  });

  it('gives every numbered subsection a parent section', () => {
    for (const number of numbered.keys()) {
      const parent = number.split('.').slice(0, -1).join('.');
      if (parent) assert.ok(numbered.has(parent), `§${number} has no §${parent} heading`);
    }
  });

  it('names no path outside the repository', () => {
    assert.doesNotMatch(page, /\/work\/|\/tmp\/|\/home\//);
  });
});

describe('docs links in code', () => {
  it('point at existing files and headings', () => {
    const problems: string[] = [];
    for (const file of codeFiles()) {
      for (const link of docLinks(read(file), file)) {
        if (!existsSync(join(root, link.path))) problems.push(`${link.where}: ${link.path} does not exist`);
        else if (link.anchor && !anchors(read(link.path)).has(link.anchor)) {
          problems.push(`${link.where}: ${link.path} has no heading #${link.anchor}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('the checks themselves', () => {
  const page = sections('## §4. Delivery\n\n### §4.1 Pipeline\n**Step 1 — queue.** …\n**Step 2 — send.** …\n\n## §9. Tags\n');

  it('report a citation without a heading, and accept one with a heading', () => {
    const cited = citations('// see §4.1 and §4.7, and §9\n', 'x.ts');
    assert.deepEqual(unresolved(cited, page), [`x.ts:1: §4.7 has no heading in ${API_DOC}`]);
  });

  it('check steps, expand ranges and skip other documents\' sections', () => {
    assert.deepEqual(unresolved(citations('§4.1 step 2; §4.1 step 3', 'y.ts'), page), [
      `y.ts:1: §4.1 step 3 is not a step of that section in ${API_DOC}`,
    ]);
    assert.deepEqual(
      citations('(§4.1–§4.3)', 'z.ts').map((c) => c.section),
      ['4.1', '4.2', '4.3'],
    );
    assert.deepEqual(citations('RFC 9110 §7.6.1', 'z.ts'), []);
  });

  it('find docs links and GitHub anchors', () => {
    assert.deepEqual(docLinks('see docs/penpot-api.md#41-pipeline.', 'w.ts'), [
      { path: 'docs/penpot-api.md', anchor: '41-pipeline', where: 'w.ts:1' },
    ]);
    assert.ok(anchors('### §4.1 Pipeline\n').has('41-pipeline'));
    assert.equal(page.get('4.1')?.anchor, '41-pipeline');
  });
});
