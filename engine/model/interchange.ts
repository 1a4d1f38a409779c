import { DOMParser } from '@xmldom/xmldom';
import { MultiDirectedGraph } from 'graphology';
import { parse as parseGexfGraph } from 'graphology-gexf';
import { parse as parseGraphMLGraph } from 'graphology-graphml';
import XMLWriter from 'xml-writer';
import { DocumentReadError, ValidationError, type ModelIssue } from './errors.js';
import { graphToTwin, twinToGraph, type TwinGraph } from './graph.js';
import type { Twin } from './twin.js';

/**
 * GraphML and GEXF, so twins can go to and come from Gephi, yEd and NetworkX. Reading uses graphology's
 * parsers. Both are written here with xml-writer (the XML writer graphology-gexf itself uses), declaring
 * each attribute's type so the parser casts it back: graphology-graphml has no writer, and graphology-gexf's
 * leaves out empty strings (a node named "" came back without a name). Every field of the twin comes back
 * as it went (test/engine/model/interchange.test.ts compares content hashes); text that XML 1.0 cannot
 * hold at all is refused, naming the field, rather than written changed.
 */

export function readGexf(text: string, file: string): Twin {
  const document = xmlDocument(text, file);
  structure(document, 'gexf', file);
  directed(document, 'defaultedgetype', file);
  return graphToTwin(parseXml(() => parseGexfGraph(MultiDirectedGraph, document, { addMissingNodes: false }), file), file);
}

export function readGraphML(text: string, file: string): Twin {
  const document = xmlDocument(text, file);
  structure(document, 'graphml', file);
  directed(document, 'edgedefault', file);
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
  if (fatal || !document?.documentElement) {
    const said = (fatal ?? problems[0] ?? 'no root element').replace(/^(fatalError|error): /, '');
    // xmldom's words for elements left open at the end (a file cut short) name a document type, which has none.
    const meant = /^Hierarchy request error/.test(said) ? 'a document that ends before its elements close (cut short?) or has more than one root element' : said;
    fail(`expected well-formed XML, got ${meant}`);
  }
  return document;
}

/** The number types of GraphML's attr.type and GEXF's attribute type. */
const NUMBER_TYPES = ['int', 'long', 'float', 'double', 'byte', 'short', 'integer'];

/**
 * What graphology would stumble on, said as the document's own problems, each naming its field: another kind
 * of XML (its errors read "Cannot read properties of undefined"), a node id given twice ("Graph.addNode: the
 * node already exist"), an edge to no node (advice about a parser option), a number field that holds text
 * (read as NaN), a true/false field that holds anything else (read as false). Nodes and edges are numbered in document order, as the twin's `nodes[i]` and `edges[j]`.
 */
function structure(document: Document, format: 'graphml' | 'gexf', file: string): void {
  const root = document.documentElement;
  const name = root.localName ?? root.nodeName;
  const fail = (message: string): never => {
    throw new DocumentReadError([{ file, path: '', message }]);
  };
  const label = format === 'graphml' ? 'GraphML' : 'GEXF';
  if (name !== format) fail(`expected a ${label} document (a <${format}> root element, as strata twin convert writes), got a <${name}> root element`);
  if (document.getElementsByTagName('graph').length === 0) fail(`expected a <graph> element in the <${format}> document, got none`);
  const issues: ModelIssue[] = [];
  // Number and true/false fields as declared, per class: GraphML's <key for="node"|"edge"|"all" attr.type>,
  // GEXF's <attributes class="node"|"edge"> <attribute type> (GEXF numbers its attributes per class: an
  // edge's "0" is not a node's). graphology reads a number field's text as NaN, and a true/false field's
  // anything but "true" as false.
  const declaredOf = (which: 'node' | 'edge'): Element[] =>
    format === 'graphml'
      ? Array.from(document.getElementsByTagName('key')).filter((key) => [which, 'all', null].includes(key.getAttribute('for')))
      : Array.from(document.getElementsByTagName('attributes'))
          .filter((group) => (group.getAttribute('class') ?? 'node') === which)
          .flatMap((group) => Array.from(group.getElementsByTagName('attribute')));
  const typed = (which: 'node' | 'edge'): Map<string, { name: string; type: 'number' | 'boolean' }> => {
    const fields = new Map<string, { name: string; type: 'number' | 'boolean' }>();
    for (const key of declaredOf(which)) {
      const type = key.getAttribute(format === 'graphml' ? 'attr.type' : 'type') ?? '';
      const name = key.getAttribute(format === 'graphml' ? 'attr.name' : 'title') ?? key.getAttribute('id') ?? '';
      if (NUMBER_TYPES.includes(type)) fields.set(key.getAttribute('id') ?? '', { name, type: 'number' });
      else if (type === 'boolean') fields.set(key.getAttribute('id') ?? '', { name, type: 'boolean' });
    }
    return fields;
  };
  const checkText = (text: string, field: { name: string; type: 'number' | 'boolean' }, path: string): void => {
    if (field.type === 'number' && (text.trim() === '' || !Number.isFinite(Number(text)))) issues.push({ file, path: `${path}.${field.name}`, message: `expected a number, got ${JSON.stringify(text)}` });
    if (field.type === 'boolean' && !(format === 'graphml' ? ['true', 'false'].includes(text.toLowerCase()) : text === 'true' || text === 'false')) {
      issues.push({ file, path: `${path}.${field.name}`, message: `expected true or false, got ${JSON.stringify(text)}` });
    }
  };
  const checkValues = (element: Element, fields: ReturnType<typeof typed>, path: string): void => {
    if (fields.size === 0) return;
    for (const value of Array.from(element.getElementsByTagName(format === 'graphml' ? 'data' : 'attvalue'))) {
      // GEXF names the attribute by `for` or, as graphology also reads it, `id`.
      const field = fields.get((format === 'graphml' ? value.getAttribute('key') : value.getAttribute('id') || value.getAttribute('for')) ?? '');
      if (field !== undefined) checkText((format === 'graphml' ? value.textContent : value.getAttribute('value')) ?? '', field, path);
    }
  };
  const nodeFields = typed('node');
  const edgeFields = typed('edge');
  // A declared default, which every node or edge without its own value takes.
  for (const which of ['node', 'edge'] as const) {
    const fields = which === 'node' ? nodeFields : edgeFields;
    for (const key of declaredOf(which)) {
      const field = fields.get(key.getAttribute('id') ?? '');
      const fallback = key.getElementsByTagName('default')[0];
      if (field !== undefined && fallback !== undefined) checkText(fallback.textContent ?? '', field, `${which}s[].default`);
    }
  }
  const ids = new Set<string>();
  Array.from(document.getElementsByTagName('node')).forEach((node, i) => {
    const id = node.getAttribute('id');
    if (id === null || id === '') issues.push({ file, path: `nodes[${i}].id`, message: 'expected an id, got none' });
    else if (ids.has(id)) issues.push({ file, path: `nodes[${i}].id`, message: `expected an id no earlier node has, got ${JSON.stringify(id)} again` });
    else ids.add(id);
    checkValues(node, nodeFields, `nodes[${i}]`);
  });
  Array.from(document.getElementsByTagName('edge')).forEach((edge, j) => {
    for (const end of ['source', 'target']) {
      const id = edge.getAttribute(end);
      if (id === null || !ids.has(id)) issues.push({ file, path: `edges[${j}].${end}`, message: `expected the id of a node in the file, got ${id === null ? 'none' : JSON.stringify(id)}` });
    }
    checkValues(edge, edgeFields, `edges[${j}]`);
  });
  if (issues.length > 0) throw new ValidationError(issues);
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

/**
 * A twin's edges have directions: its graph element must say so (GraphML's edgedefault, which graphology
 * requires whatever the edges say; GEXF's defaultedgetype, read as undirected when left out), as `strata
 * twin convert` writes them. A GEXF edge may say its own `type`: a graph whose every edge says "directed"
 * is directed whatever its default.
 */
function directed(document: Document, attribute: string, file: string): void {
  const graph = document.getElementsByTagName('graph')[0];
  if (!graph) return; // graphology says what is missing
  const value = graph.getAttribute(attribute) || undefined;
  const edges = attribute === 'defaultedgetype' ? Array.from(document.getElementsByTagName('edge')) : [];
  if (edges.length > 0 && edges.every((edge) => (edge.getAttribute('type') || value) === 'directed')) return;
  if (value !== 'directed') {
    throw new DocumentReadError([{ file, path: '', message: `expected a directed graph (<graph ${attribute}="directed">, as strata twin convert writes), got ${value === undefined ? `no ${attribute}` : `${attribute}="${value}"`}` }]);
  }
}

function parseXml(read: () => unknown, file: string): TwinGraph {
  try {
    return read() as TwinGraph;
  } catch (error) {
    throw new DocumentReadError([{ file, path: '', message: `expected a Strata graph file: ${(error as Error).message.split('\n')[0]}` }]);
  }
}

type Domain = 'graph' | 'node' | 'edge';
type AttributeType = 'boolean' | 'long' | 'double' | 'string';

function typeOf(value: unknown): AttributeType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  return 'string';
}

/**
 * Each attribute's type per domain, in order of first use. A field that is an integer on one node and
 * fractional on another is a double everywhere; one that mixes kinds is a string (the schema gives none).
 */
function attributeTypes(graph: TwinGraph): Record<Domain, Map<string, AttributeType>> {
  const types: Record<Domain, Map<string, AttributeType>> = { graph: new Map(), node: new Map(), edge: new Map() };
  const declare = (domain: Domain, attributes: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(attributes)) {
      const type = typeOf(value);
      const known = types[domain].get(name);
      if (known === undefined || known === type) types[domain].set(name, type);
      else types[domain].set(name, (known === 'long' && type === 'double') || (known === 'double' && type === 'long') ? 'double' : 'string');
    }
  };
  declare('graph', graph.getAttributes());
  graph.forEachNode((_node, attributes) => declare('node', attributes));
  graph.forEachEdge((_edge, attributes) => declare('edge', attributes));
  return types;
}

/** Characters XML 1.0 has no way to write, not even as a character reference (XML 1.0 §2.2, Char). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Refuses a twin with text the format cannot carry, before writing a byte: every problem, each naming the
 * field. Only the plain-text attributes (a node's name, an edge's note) can hold such characters: ids are
 * restricted by the schema and the JSON attributes escape them.
 */
function checkWritable(graph: TwinGraph, format: string, file: string): void {
  const issues: ModelIssue[] = [];
  const check = (path: string, attributes: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(attributes)) {
      // The label is the name (or the id) again, for Gephi and yEd to show: the name is the field to name.
      const bad = typeof value === 'string' && name !== 'label' ? NOT_XML.exec(value) : null;
      if (!bad) continue;
      const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      issues.push({ file, path: `${path}.${name}`, message: `expected text ${format} can hold, got U+${code} at character ${bad.index} (XML 1.0 has no way to write it): write YAML or JSON instead` });
    }
  };
  let i = 0;
  graph.forEachNode((_node, attributes) => check(`nodes[${i++}]`, attributes));
  let j = 0;
  graph.forEachEdge((_edge, attributes) => check(`edges[${j++}]`, attributes));
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Element text: xml-writer leaves a carriage return as it is, which XML parsers read back as a line feed. */
function elementText(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function writeGraphML(twin: Twin, file = `${twin.name}.graphml`): string {
  const graph = twinToGraph(twin);
  checkWritable(graph, 'GraphML', file);
  const types = attributeTypes(graph);
  const keys = new Map<string, string>();

  const xml = new XMLWriter('  ');
  xml.startDocument('1.0', 'UTF-8');
  xml.startElement('graphml');
  xml.writeAttribute('xmlns', 'http://graphml.graphdrawing.org/xmlns');
  for (const domain of ['graph', 'node', 'edge'] as const) {
    for (const [name, type] of types[domain]) {
      const id = `d${keys.size}`;
      keys.set(`${domain}:${name}`, id);
      xml.startElement('key').writeAttribute('id', id).writeAttribute('for', domain);
      xml.writeAttribute('attr.name', name).writeAttribute('attr.type', type).endElement();
    }
  }
  const data = (domain: Domain, attributes: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(attributes)) {
      xml.startElement('data').writeAttribute('key', keys.get(`${domain}:${name}`)!).writeRaw(elementText(value)).endElement();
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

/**
 * GEXF 1.3 as graphology-gexf writes it (the twin-level fields as a `strata` element in `meta`, a node's
 * label as its `label`), but with every attribute value written, the empty string too.
 */
export function writeGexf(twin: Twin, file = `${twin.name}.gexf`): string {
  const graph = twinToGraph(twin);
  checkWritable(graph, 'GEXF', file);
  const types = attributeTypes(graph);
  types.node.delete('label');

  const xml = new XMLWriter('  ');
  xml.startDocument('1.0', 'UTF-8');
  xml.startElement('gexf').writeAttribute('version', '1.3');
  xml.writeAttribute('xmlns', 'http://gexf.net/1.3').writeAttribute('xmlns:viz', 'http://gexf.net/1.3/viz');
  xml.writeAttribute('xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance').writeAttribute('xsi:schemaLocation', 'http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd');
  xml.startElement('meta');
  for (const [name, value] of Object.entries(graph.getAttributes())) xml.startElement(name).writeRaw(elementText(value)).endElement();
  xml.endElement();
  xml.startElement('graph').writeAttribute('defaultedgetype', 'directed');
  for (const domain of ['node', 'edge'] as const) {
    if (types[domain].size === 0) continue;
    xml.startElement('attributes').writeAttribute('class', domain);
    for (const [name, type] of types[domain]) {
      xml.startElement('attribute').writeAttribute('id', name).writeAttribute('title', name).writeAttribute('type', type).endElement();
    }
    xml.endElement();
  }
  const attvalues = (attributes: Record<string, unknown>): void => {
    xml.startElement('attvalues');
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'label') continue;
      // startAttribute, not writeAttribute: xml-writer's writeAttribute leaves out an empty value.
      xml.startElement('attvalue').writeAttribute('for', name).startAttribute('value').text(String(value)).endAttribute().endElement();
    }
    xml.endElement();
  };
  xml.startElement('nodes');
  graph.forEachNode((node, attributes) => {
    xml.startElement('node').writeAttribute('id', node).writeAttribute('label', String(attributes.label));
    attvalues(attributes);
    xml.endElement();
  });
  xml.endElement();
  xml.startElement('edges');
  graph.forEachEdge((edge, attributes, source, target) => {
    xml.startElement('edge').writeAttribute('id', edge).writeAttribute('source', source).writeAttribute('target', target);
    attvalues(attributes);
    xml.endElement();
  });
  xml.endElement();
  xml.endElement().endElement().endDocument();
  return xml.toString();
}
