import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

/**
 * The numeric fields a document's own comments mark as uncertain (docs/sensitivity.md "Which parameters").
 * A field is marked when the comment at the end of its line, or the comment block directly above it, says
 * "assumption" or "placeholder" (any case, plural too). A delay (`{ dist: lognormal, medianMinutes, sigma }`)
 * marked so — at the end of its line, or above its key — stands for its location: the median of a lognormal,
 * the mean of an exponential, the scale of a Weibull, the minutes of a fixed delay; its shape stays put
 * unless marked on its own line. Comments after a block's last line belong to nothing. The yaml package's
 * Document API keeps comments; a JSON document has none, and marks nothing.
 */
export interface MarkedField {
  /** Keys and list indices from the document's root, as `--set` paths take them. */
  path: string[];
  value: number;
  marker: 'assumption' | 'placeholder';
  /** The comment that marked it, one line. */
  comment: string;
}

/** The field that stands for a delay's size, by its `dist` (engine/model/common.ts, Delay). */
const DELAY_LOCATION: Record<string, string> = { lognormal: 'medianMinutes', exponential: 'meanMinutes', weibull: 'scaleMinutes', fixed: 'minutes' };

/** The key of a delay's location (`medianMinutes` of a lognormal), or undefined if `value` is no delay. */
export function delayLocation(value: unknown): string | undefined {
  const dist = value !== null && typeof value === 'object' ? (value as { dist?: unknown }).dist : undefined;
  return typeof dist === 'string' ? DELAY_LOCATION[dist] : undefined;
}

const MARKER = /\b(assumption|placeholder)s?\b/i;

export function markedFields(text: string): MarkedField[] {
  const found: MarkedField[] = [];
  const add = (path: string[], value: unknown, comments: (string | null | undefined)[]) => {
    const comment = comments.find((c) => c && MARKER.test(c));
    if (!comment || typeof value !== 'number' || !Number.isFinite(value)) return;
    if (found.some((f) => f.path.join('.') === path.join('.'))) return;
    found.push({ path, value, marker: MARKER.exec(comment)![1]!.toLowerCase() as MarkedField['marker'], comment: comment.replace(/\s+/g, ' ').trim() });
  };
  const walk = (node: Node | null | undefined, path: string[], above: string | null | undefined): void => {
    if (isSeq(node)) {
      // A comment above a list item's first key is the item map's (or the list's, for the first item).
      node.items.forEach((item, i) => walk(item as Node, [...path, String(i)], i === 0 ? node.commentBefore : null));
      return;
    }
    if (!isMap(node)) return;
    node.items.forEach((pair, n) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const value = pair.value as Node | null;
      const keyNode = isScalar(pair.key) ? pair.key : null;
      // The yaml package hangs the comment above a block map's first key on the map itself.
      const before = [keyNode?.commentBefore, n === 0 && !node.flow ? node.commentBefore : null, n === 0 ? above : null];
      if (isScalar(value)) {
        add([...path, key], value.value, [value.comment, keyNode?.comment, value.commentBefore, ...before]);
      } else if (isMap(value)) {
        const location = delayLocation({ dist: value.get('dist') });
        if (location) {
          // A flow delay's trailing comment is the map's; a block delay's key-line comment lands above `dist`.
          add([...path, key, location], value.get(location), [value.flow ? value.comment : null, keyNode?.comment, value.flow ? null : value.commentBefore, ...before]);
        }
        walk(value, [...path, key], null);
      } else {
        walk(value, [...path, key], null);
      }
    });
  };
  const doc = parseDocument(text);
  walk(doc.contents as Node | null, [], null);
  return found;
}
