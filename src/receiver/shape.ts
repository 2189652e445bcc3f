// Which Penpot versions' payload shape a received event has (conformance finding 4): the top-level keys tell them
// apart. Pure (no Node or vscode imports), so the CLI and the viewer's webview both use it.
import { PAYLOAD_SHAPE_INFO, PAYLOAD_SHAPES, type PayloadShape } from '../penpot/catalog';
import type { DecodedPayload } from './types';

/** A Penpot payload shape, or "unknown" for anything else (not a Penpot event, or a shape no version sent). */
export type ShapeLabel = PayloadShape | 'unknown';

/** JSON deliveries have camelCase keys, Transit ones kebab-case keyword names. */
const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('~type' in value);
}

/** Each shape by its sorted top-level keys, worked out once: recognizeShape runs for every received event. */
const SHAPE_BY_KEYS = new Map<string, PayloadShape>(
  PAYLOAD_SHAPES.map((shape) => [[...PAYLOAD_SHAPE_INFO[shape].keys].sort().join(' '), shape]),
);

/** The shape whose top-level keys the event has exactly (in any order), with `name` a string and `props` a map. */
export function recognizeShape(decoded: DecodedPayload | undefined): ShapeLabel {
  const value = decoded?.value;
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.props)) return 'unknown';
  return SHAPE_BY_KEYS.get(Object.keys(value).map(kebab).sort().join(' ')) ?? 'unknown';
}

/** For people: "Penpot 2.15+ payload" or "not a known Penpot payload shape". */
export function shapeDescription(shape: ShapeLabel): string {
  return shape === 'unknown' ? 'not a known Penpot payload shape' : `Penpot ${shape} payload: ${PAYLOAD_SHAPE_INFO[shape].description}`;
}
