import { DOMParser } from '@xmldom/xmldom';
import { MultiDirectedGraph } from 'graphology';
import { parse as parseGexfGraph, write as writeGexfGraph } from 'graphology-gexf';
import { parse as parseGraphMLGraph } from 'graphology-graphml';
import XMLWriter from 'xml-writer';
import { DocumentReadError } from './errors.js';
import { graphToTwin, twinToGraph, type TwinGraph } from './graph.js';
import type { Twin } from './twin.js';

/**
 * GraphML and GEXF, so twins can go to and come from Gephi, yEd and NetworkX. Reading uses graphology's
 * parsers. graphology-graphml has no writer, so GraphML is written here with xml-writer (the XML writer
 * graphology-gexf itself uses), declaring each attribute's type so the parser casts it back.
 */

export function writeGexf(twin: Twin): string {
  return writeGexfGraph(twinToGraph(twin), { version: '1.3', pretty: true });
}

export function readGexf(text: string, file: string): Twin {
  const document = xmlDocument(text, file);
  return graphToTwin(parseXml(() => parseGexfGraph(MultiDirectedGraph, document, { addMissingNodes: false }), file), file);
}

export function readGraphML(text: string, file: string): Twin {
  const document = xmlDocument(text, file);
  return graphToTwin(parseXml(() => parseGraphMLGraph(MultiDirectedGraph, document), file), file);
}

/**
 * Parses XML strictly, before graphology reads the graph out of it: a document type declaration (and with it
 * any entity, the "billion laughs" that expands a few bytes into gigabytes) is refused before parsing, and
 * the parser's errors come back as one line naming the file and the place — the parser prints nothing.
 */
function xmlDocument(text: string, file: string): Document {
  const fail = (message: string): never => {
    throw new DocumentReadError([{ file, path: '', message }]);
  };
  if (text.trim() === '') fail('expected an XML graph file, got an empty file');
  const declaration = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration) fail(`expected XML without a document type or entity declarations (they can expand without bound), got <!${declaration[1]!.toUpperCase()} at character ${declaration.index}`);
  const problems: string[] = [];
  const parser = new DOMParser({
    // Warnings (an attribute left open, say) are kept too: graphology reads whatever the parser recovered.
    errorHandler: (level: string, message: string) => void problems.push(`${level}: ${xmlMessage(String(message))}`),
  });
  const document = parser.parseFromString(text, 'application/xml') as unknown as Document;
  const fatal = problems.find((p) => !p.startsWith('warning'));
  if (fatal || !document?.documentElement) fail(`expected well-formed XML, got ${(fatal ?? problems[0] ?? 'no root element').replace(/^(fatalError|error): /, '')}`);
  return document;
}

/** xmldom's message, as one plain line: its "[xmldom error]" prefix and "@#[line:…,col:…]" marker turned into words. */
function xmlMessage(message: string): string {
  return message
    .replace(/\[xmldom \w+\]\s*/g, '')
    .replace(/(element parse error: )?Error: /g, '')
    .replace(/\s*@#\[line:(\d+),col:(\d+)\]/g, ' (line $1, column $2)')
    .replace(/\s*@#\[line:\w+,col:\w+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseXml(read: () => unknown, file: string): TwinGraph {
  try {
    return read() as TwinGraph;
  } catch (error) {
    throw new DocumentReadError([{ file, path: '', message: `expected a Strata graph file: ${(error as Error).message.split('\n')[0]}` }]);
  }
}

type Domain = 'graph' | 'node' | 'edge';

function typeOf(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  return 'string';
}

export function writeGraphML(twin: Twin): string {
  const graph = twinToGraph(twin);
  const keys = new Map<string, { id: string; type: string }>();
  const declare = (domain: Domain, name: string, value: unknown): void => {
    const k = `${domain}:${name}`;
    const type = typeOf(value);
    const known = keys.get(k);
    // A field that is an integer on one node and fractional on another is a double everywhere.
    if (!known) keys.set(k, { id: `d${keys.size}`, type });
    else if (known.type !== type) known.type = known.type === 'long' && type === 'double' ? 'double' : known.type === 'double' && type === 'long' ? 'double' : 'string';
  };
  for (const [name, value] of Object.entries(graph.getAttributes())) declare('graph', name, value);
  graph.forEachNode((_node, attributes) => Object.entries(attributes).forEach(([n, v]) => declare('node', n, v)));
  graph.forEachEdge((_edge, attributes) => Object.entries(attributes).forEach(([n, v]) => declare('edge', n, v)));

  const xml = new XMLWriter('  ');
  xml.startDocument('1.0', 'UTF-8');
  xml.startElement('graphml');
  xml.writeAttribute('xmlns', 'http://graphml.graphdrawing.org/xmlns');
  for (const [k, { id, type }] of keys) {
    const [domain, name] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
    xml.startElement('key').writeAttribute('id', id).writeAttribute('for', domain);
    xml.writeAttribute('attr.name', name).writeAttribute('attr.type', type).endElement();
  }
  const data = (domain: Domain, attributes: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(attributes)) {
      xml.startElement('data').writeAttribute('key', keys.get(`${domain}:${name}`)!.id).text(String(value)).endElement();
    }
  };
  xml.startElement('graph').writeAttribute('id', twin.name).writeAttribute('edgedefault', 'directed');
  data('graph', graph.getAttributes());
  graph.forEachNode((node, attributes) => {
    xml.startElement('node').writeAttribute('id', node);
    data('node', attributes);
    xml.endElement();
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    xml.startElement('edge').writeAttribute('id', edge).writeAttribute('source', source).writeAttribute('target', target);
    data('edge', attributes);
    xml.endElement();
  });
  xml.endElement().endElement().endDocument();
  return xml.toString();
}
