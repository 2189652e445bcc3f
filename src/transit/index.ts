// Penpot-aware Transit codec: decode to a lossless plain tree, encode back, and view it as plain JSON.
export * from './types';
export { decodeTransit, TransitDecodeError } from './decode';
export { encodeTransit, type EncodeOptions } from './encode';
export { toPlainJson } from './plain';
export { PENPOT_TRANSIT_TAGS, describeNodeType } from './describe';
export {
  kw,
  sym,
  uuid,
  instant,
  setOf,
  listOf,
  tagged,
  mapOf,
  isTypedNode,
  isKeyword,
  keywordKey,
  keywordNameOfKey,
} from './nodes';
