// Decode throughput of the Transit codec against transit-js's own reader on a ~1 MB Penpot-like file payload.
// Run alone with `npx tsx bench/transit-decode.ts`, or through the bench runner (benchTransitDecode).
import * as transit from 'transit-js';
import { decodeTransit, encodeTransit, instant, kw, mapOf, setOf, tagged, uuid, type TransitNode } from '../src/transit';
import type { BenchFigure } from './types';

const TARGET_BYTES = 1_000_000;
const GOAL_RATIO = 0.7;
const PAIRS = 15;
const WARMUP_MS = 500;
const ROUND_MS = 400;

/** Deterministic generator (mulberry32) so every run decodes the same payload. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const SHAPES_PER_PAGE = 200;
const SHAPE_TYPES = ['rect', 'frame', 'text', 'path', 'circle', 'group'];

function shape(next: () => number, id: string, parentId: string, children: string[]): TransitNode {
  const x = Math.round(next() * 2000);
  const y = Math.round(next() * 2000);
  const width = 10 + Math.round(next() * 400);
  const height = 10 + Math.round(next() * 400);
  const point = (px: number, py: number): TransitNode => tagged('point', { x: px, y: py });
  const matrix = (): TransitNode => tagged('matrix', { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
  return tagged('shape', {
    id: uuid(id),
    type: kw(SHAPE_TYPES[Math.floor(next() * SHAPE_TYPES.length)]),
    name: `Layer ${Math.floor(next() * 10_000)}`,
    'parent-id': uuid(parentId),
    'frame-id': uuid(parentId),
    x,
    y,
    width,
    height,
    rotation: next() < 0.8 ? 0 : Math.round(next() * 3600) / 10,
    selrect: tagged('rect', { x, y, width, height, x1: x, y1: y, x2: x + width, y2: y + height }),
    points: [point(x, y), point(x + width, y), point(x + width, y + height), point(x, y + height)],
    transform: matrix(),
    'transform-inverse': matrix(),
    fills: tagged('penpot/fills', [{ 'fill-color': `#${Math.floor(next() * 0xffffff).toString(16).padStart(6, '0')}`, 'fill-opacity': 1 }]),
    strokes: [],
    'proportion-lock': next() < 0.5,
    'modified-at': instant(1_784_894_921_650 + Math.floor(next() * 1e9)),
    'applied-tokens': setOf(next() < 0.3 ? ['color.primary', 'spacing.md'] : []),
    shapes: children.map((child) => uuid(child)),
  });
}

/** A Penpot file map with pages of shapes keyed by UUID (so map nodes with UUID keys too), about `bytes` long. */
export function penpotLikePayload(bytes = TARGET_BYTES): string {
  const next = random(0x9e3779b9);
  const pages: [TransitNode, TransitNode][] = [];
  const pageIds: TransitNode[] = [];
  let text = '';
  while (text.length < bytes) {
    const pageId = randomUuid(next);
    const rootId = randomUuid(next);
    const ids = Array.from({ length: SHAPES_PER_PAGE }, () => randomUuid(next));
    const objects: [TransitNode, TransitNode][] = [[uuid(rootId), shape(next, rootId, rootId, ids)]];
    for (const id of ids) objects.push([uuid(id), shape(next, id, rootId, [])]);
    pageIds.push(uuid(pageId));
    pages.push([uuid(pageId), { id: uuid(pageId), name: `Page ${pages.length + 1}`, objects: mapOf(objects) }]);
    text = encodeTransit({
      id: uuid('db601c95-045f-808b-8002-362f08fcb621'),
      name: 'Design system',
      revn: 42,
      'created-at': instant(1_784_894_921_650),
      features: setOf(['fdata/shape-data-type', 'components/v2', 'styles/v2']),
      data: { pages: pageIds, 'pages-index': mapOf(pages) },
    });
  }
  return text;
}

/** How many calls of `decode` fill about ROUND_MS, after warming it up. */
function calibrate(text: string, decode: (text: string) => unknown): number {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < WARMUP_MS) {
    decode(text);
    calls++;
  }
  return Math.max(1, Math.round((calls * ROUND_MS) / WARMUP_MS));
}

/** Megabytes per second over one round of `calls` decodes. */
function round(text: string, decode: (text: string) => unknown, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) decode(text);
  return (megabytes(text) * calls) / ((performance.now() - start) / 1000);
}

function megabytes(text: string): number {
  return Buffer.byteLength(text) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchTransitDecode(): Promise<BenchFigure[]> {
  const text = penpotLikePayload();
  const reader = transit.reader('json');
  const raw = (payload: string): unknown => reader.read(payload);
  const rawCalls = calibrate(text, raw);
  const oursCalls = calibrate(text, decodeTransit);
  // Rounds in back-to-back pairs, so that load from other processes on the shared cores hits both sides alike;
  // the ratio is the median of the per-pair ratios. The order alternates so neither side always runs right
  // after the other's garbage.
  const baselineRates: number[] = [];
  const oursRates: number[] = [];
  const ratios: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    let base: number;
    let ours: number;
    if (pair % 2 === 0) {
      base = round(text, raw, rawCalls);
      ours = round(text, decodeTransit, oursCalls);
    } else {
      ours = round(text, decodeTransit, oursCalls);
      base = round(text, raw, rawCalls);
    }
    baselineRates.push(base);
    oursRates.push(ours);
    ratios.push(ours / base);
  }
  const ratio = median(ratios);
  return [
    {
      name: `Transit decode + normalise (${megabytes(text).toFixed(2)} MB Penpot-like payload)`,
      value: round2(median(oursRates)),
      unit: 'MB/s',
      baseline: round2(median(baselineRates)),
      ratio: round2(ratio),
      goal: `≥ ${GOAL_RATIO}× transit-js reader.read`,
      pass: ratio >= GOAL_RATIO,
    },
  ];
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

if (require.main === module) {
  benchTransitDecode().then(
    (figures) => {
      for (const f of figures) {
        console.log(`${f.pass ? 'PASS' : 'FAIL'} ${f.name}: ${f.value} ${f.unit} (transit-js ${f.baseline} ${f.unit}, ${f.ratio}×; goal ${f.goal})`);
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
