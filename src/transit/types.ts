// The decoded form of a Transit value: plain JSON (serialisable, postMessage-safe) that keeps Transit's
// type information readable. It is lossless: encodeTransit(decodeTransit(x)) reads back to the same tree.
//
//   null | boolean | number | string      as themselves (a string that starts with "~" is kept as is)
//   array                                 a Transit array (Clojure vector)
//   plain object                          a map whose keys are all keywords (Penpot's usual map); keys are the
//                                         keyword names ("team-id"); a name starting with "~" is escaped as "~~…"
//   { "~type": "keyword", name }          :name            (also "symbol")
//   { "~type": "uuid", value }            ~u…
//   { "~type": "instant", value }         ~m / ~t, value an ISO-8601 string (~t text kept verbatim, so
//                                         microseconds survive; ~m gives Date.toISOString())
//   { "~type": "set", items }             ~#set
//   { "~type": "list", items }            ~#list
//   { "~type": "map", entries }           a map with at least one non-keyword key: entries [[key, value], …]
//                                         (a map whose keys are all keywords is always the plain object)
//   { "~type": "bigint", value }          ~n, decimal string       { "~type": "decimal", value } ~f
//   { "~type": "uri", value }             ~r (standard Transit URI)
//   { "~type": "binary", value }          ~b, base64
//   { "~type": "char", value }            ~c
//   { "~type": "tagged", tag, value }     any other tag, Penpot's own (§9: "uri", "duration", "point",
//                                         "penpot/pointer", …) or unknown; value is the decoded representation.
//                                         Also a known tag whose representation does not fit ("~mabc" →
//                                         tag "m", value "abc"), so nothing is ever dropped
export type TransitNode =
  | null
  | boolean
  | number
  | string
  | TransitNode[]
  | TransitMapObject
  | TypedNode;

export interface TransitMapObject {
  [keywordName: string]: TransitNode;
}

export type TypedNode =
  | { '~type': 'keyword' | 'symbol'; name: string }
  | { '~type': 'uuid' | 'instant' | 'bigint' | 'decimal' | 'uri' | 'binary' | 'char'; value: string }
  | { '~type': 'set' | 'list'; items: TransitNode[] }
  | { '~type': 'map'; entries: [TransitNode, TransitNode][] }
  | { '~type': 'tagged'; tag: string; value: TransitNode };

export const TYPE_KEY = '~type';
