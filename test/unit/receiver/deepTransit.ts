// Hostile-but-valid Transit bodies for the decode tests (issue 14 rows 4 and 5), generated rather than committed.
import { MAX_NESTING } from '../../../src/transit/decode';

export const DEEP_EVENT_SUMMARY = {
  eventName: 'update-file', profileId: '11111111-0000-4000-8000-000000000001', fileId: '22222222-0000-4000-8000-000000000002',
};

/**
 * A Penpot-shaped `update-file` event whose `data` nests `depth` levels of arrays, each holding `width` small keyword
 * maps: the slowest kind of input to decode per byte. The whole body nests `depth + 3` deep.
 */
export function deepTransit(depth: number, width: number): string {
  const filler = Array.from({ length: width }, (_, i) => `["^ ","~:k${i % 7}","~:v","~:n",${i}]`).join(',');
  let inner = '[]';
  for (let level = 0; level < depth; level++) inner = `[${filler},${inner}]`;
  return '["^ ","~:name","update-file","~:profile-id","~u11111111-0000-4000-8000-000000000001","~:props",'
    + `["^ ","~:file-id","~u22222222-0000-4000-8000-000000000002","~:data",${inner}]]`;
}

/** Just under `bytes` (default: the receiver's 5 MiB body limit), nested 998 deep: inside both limits. */
export function largestDeepTransit(bytes = 5 * 1024 * 1024 - 1024): string {
  const depth = MAX_NESTING - 5;
  let width = Math.floor(bytes / deepTransit(depth, 1).length);
  while (deepTransit(depth, width + 1).length <= bytes) width++;
  while (width > 1 && deepTransit(depth, width).length > bytes) width--;
  return deepTransit(depth, width);
}
