import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readGexf, readGraphML, writeGexf, writeGraphML } from '../../../engine/model/interchange.js';
import { DocumentReadError, ValidationError } from '../../../engine/model/errors.js';
import { loadTwinFile } from '../../../engine/model/load-file.js';
import { twinFromValue } from '../../../engine/model/load.js';
import { GRAPH_FIELDS } from '../../../engine/model/graph.js';
import { Edge as EdgeSchema, Node as NodeSchema, Twin as TwinSchema, type TwinInput } from '../../../engine/model/twin.js';
import { BUILTIN_TWINS, resolveTwin } from '../../../scenarios/index.js';
import { contentHash } from '../../../store/hash.js';

const ward = loadTwinFile('scenarios/twins/ward.yaml');

describe('GraphML and GEXF interchange', () => {
  it('round-trips the ward YAML → model → GraphML → model with nothing lost', () => {
    const xml = writeGraphML(ward);
    expect(xml).toContain('<graphml');
    expect(readGraphML(xml, 'ward.graphml')).toStrictEqual(ward);
  });

  it('round-trips the ward through GEXF', () => {
    const xml = writeGexf(ward);
    expect(xml).toContain('<gexf');
    expect(readGexf(xml, 'ward.gexf')).toStrictEqual(ward);
  });

  it('declares attribute types so analysis tools see numbers as numbers', () => {
    expect(writeGraphML(ward)).toMatch(/attr.name="count" attr.type="long"/);
  });

  it('refuses XML that is not a graph, and a graph whose data breaks the model, with typed errors', () => {
    expect(() => readGraphML('<nope', 'bad.graphml')).toThrow(DocumentReadError);
    const broken = writeGraphML(ward).replace('>physical<', '>clowd<');
    try {
      readGraphML(broken, 'bad.graphml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]!.path).toMatch(/^nodes\[\d+\]\.layer$/);
    }
  });

  /** The one line a bad XML file gives, and what the parser printed meanwhile (must be nothing). */
  function refusal(read: () => unknown): { message: string; printed: number } {
    const spies = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    try {
      read();
      return expect.unreachable() as never;
    } catch (error) {
      expect(error).toBeInstanceOf(DocumentReadError);
      const issues = (error as DocumentReadError).issues;
      expect(issues).toHaveLength(1);
      return { message: issues[0]!.message, printed: spies.reduce((n, s) => n + s.mock.calls.length, 0) };
    } finally {
      for (const s of spies) s.mockRestore();
    }
  }

  it('refuses broken, truncated and empty XML in one plain line, the parser printing nothing', () => {
    for (const [text, expected] of [
      ['<graphml><graph>', /^expected well-formed XML, got a document that ends before its elements close \(cut short\?\)/],
      ['<graphml><node id="a"', /^expected well-formed XML, got unexpected end of input/],
      [writeGraphML(ward).slice(0, 500), /^expected well-formed XML/],
      ['', /^expected an XML graph file, got an empty file$/],
    ] as const) {
      const { message, printed } = refusal(() => readGraphML(text, 'bad.graphml'));
      expect(message).toMatch(expected);
      expect(message).not.toMatch(/xmldom|@#\[|\n/);
      expect(printed).toBe(0);
    }
    expect(refusal(() => readGexf('<gexf><graph>', 'bad.gexf')).printed).toBe(0);
  });

  it('says what graphology would stumble on as the document\'s own problems, each of its field (a trial)', () => {
    const problems = (read: () => unknown) => {
      try {
        read();
        return expect.unreachable() as never;
      } catch (error) {
        return (error as DocumentReadError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    // Another kind of XML: it was "Cannot read properties of undefined (reading 'childNodes')".
    expect(problems(() => readGraphML('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', 'x.graphml'))).toEqual([': expected a GraphML document (a <graphml> root element, as strata twin convert writes), got a <svg> root element']);
    expect(problems(() => readGexf('<svg/>', 'x.gexf'))).toEqual([': expected a GEXF document (a <gexf> root element, as strata twin convert writes), got a <svg> root element']);
    const graphml = writeGraphML(ward);
    const first = /<node id="([^"]+)"/.exec(graphml)![1]!;
    const second = /<node id="([^"]+)"/g;
    second.exec(graphml);
    const secondId = second.exec(graphml)![1]!;
    // A node id given twice (it was graphology's "Graph.addNode: … already exist"), an edge to no node (advice about a parser option), a number that is text (read as NaN).
    expect(problems(() => readGraphML(graphml.replace(`<node id="${secondId}"`, `<node id="${first}"`), 'x.graphml'))[0]).toBe(`nodes[1].id: expected an id no earlier node has, got "${first}" again`);
    const edge = graphml.indexOf('target="', graphml.indexOf('<edge ')) + 8;
    expect(problems(() => readGraphML(`${graphml.slice(0, edge)}nowhere${graphml.slice(graphml.indexOf('"', edge))}`, 'x.graphml'))).toEqual(['edges[0].target: expected the id of a node in the file, got "nowhere"']);
    const count = /<key id="(d\d+)" for="node" attr.name="count"/.exec(graphml)![1]!;
    expect(problems(() => readGraphML(graphml.replace(new RegExp(`<data key="${count}">\\d+</data>`), `<data key="${count}">lots</data>`), 'x.graphml'))).toEqual(['nodes[0].count: expected a number, got "lots"']);
    // An edge's true/false field holding anything else (graphology read "maybe" as false: a two-way edge became one-way), and a foreign number field on an edge.
    const both = /<key id="(d\d+)" for="edge" attr.name="bidirectional"/.exec(graphml)![1]!;
    const twoWay = graphml.indexOf(`<data key="${both}">true</data>`);
    const twoWayEdge = graphml.slice(0, twoWay).split('<edge ').length - 2;
    expect(problems(() => readGraphML(graphml.replace(`<data key="${both}">true</data>`, `<data key="${both}">maybe</data>`), 'x.graphml'))).toEqual([`edges[${twoWayEdge}].bidirectional: expected true or false, got "maybe"`]);
    const weighed = graphml.replace('<key ', '<key id="w" for="edge" attr.name="weight" attr.type="double"/><key ').replace(/(<edge [^>]*>)/, '$1<data key="w">heavy</data>');
    expect(problems(() => readGraphML(weighed, 'x.graphml'))).toEqual(['edges[0].weight: expected a number, got "heavy"']);
    const gexf = writeGexf(ward);
    const gexfTwoWay = gexf.slice(0, gexf.indexOf('<attvalue for="bidirectional" value="true"/>')).split('<edge ').length - 2;
    expect(problems(() => readGexf(gexf.replace('<attvalue for="bidirectional" value="true"/>', '<attvalue for="bidirectional" value="yes"/>'), 'x.gexf'))).toEqual([`edges[${gexfTwoWay}].bidirectional: expected true or false, got "yes"`]);
    // GEXF's attvalue named by id (graphology reads it as for), and a declared default every edge without a value takes.
    expect(problems(() => readGexf(gexf.replace('<attvalue for="bidirectional" value="true"/>', '<attvalue id="bidirectional" value="yes"/>'), 'x.gexf'))).toEqual([`edges[${gexfTwoWay}].bidirectional: expected true or false, got "yes"`]);
    expect(problems(() => readGexf(gexf.replace('<attribute id="bidirectional" title="bidirectional" type="boolean"/>', '<attribute id="bidirectional" title="bidirectional" type="boolean"><default>maybe</default></attribute>'), 'x.gexf'))).toEqual(['edges[].default.bidirectional: expected true or false, got "maybe"']);
    expect(problems(() => readGraphML(graphml.replace(`<key id="${both}" for="edge" attr.name="bidirectional" attr.type="boolean"/>`, `<key id="${both}" for="edge" attr.name="bidirectional" attr.type="boolean"><default>maybe</default></key>`), 'x.graphml'))).toEqual(['edges[].default.bidirectional: expected true or false, got "maybe"']);
  });

  it('reads GEXF attribute ids per class: an edge\'s number attribute "0" is not a node\'s text attribute "0"', () => {
    const gexf = '<gexf version="1.3"><graph defaultedgetype="directed"><attributes class="node"><attribute id="0" title="owner" type="string"/></attributes><attributes class="edge"><attribute id="0" title="weight" type="double"/></attributes><nodes><node id="a"><attvalues><attvalue for="0" value="trust"/></attvalues></node></nodes><edges/></graph></gexf>';
    const said = (() => {
      try {
        readGexf(gexf, 'x.gexf');
        return [];
      } catch (error) {
        return (error as DocumentReadError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    })();
    expect(said.join('\n')).not.toMatch(/expected a number/);
  });

  it('refuses a graph whose edges have no direction, saying so rather than graphology', () => {
    expect(refusal(() => readGraphML('<graphml><graph></graph></graphml>', 'g.graphml')).message).toBe('expected a directed graph (<graph edgedefault="directed">, as strata twin convert writes), got no edgedefault');
    expect(refusal(() => readGraphML(writeGraphML(ward).replace('edgedefault="directed"', 'edgedefault="undirected"'), 'g.graphml')).message).toMatch(/got edgedefault="undirected"$/);
    expect(refusal(() => readGexf(writeGexf(ward).replace('defaultedgetype="directed"', 'defaultedgetype="undirected"'), 'g.gexf')).message).toMatch(/got defaultedgetype="undirected"$/);
    expect(refusal(() => readGexf(writeGexf(ward).replace(' defaultedgetype="directed"', ''), 'g.gexf')).message).toMatch(/got no defaultedgetype$/);
    // A GEXF whose every edge says it is directed reads as before, whatever its default.
    const typed = writeGexf(ward).replace(' defaultedgetype="directed"', '').replaceAll('<edge id=', '<edge type="directed" id=');
    expect(readGexf(typed, 'g.gexf').edges.length).toBe(ward.edges.length);
  });

  it('refuses document type and entity declarations before parsing (the billion laughs)', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><graphml>&lol2;</graphml>';
    expect(refusal(() => readGraphML(laughs, 'laughs.graphml')).message).toMatch(/^expected XML without a document type or entity declarations .*got <!DOCTYPE at character 21$/);
    expect(refusal(() => readGexf('<!ENTITY x "y"><gexf/>', 'x.gexf')).message).toMatch(/got <!ENTITY at character 0$/);
  });

  it('refuses invalid UTF-8 in a GraphML or GEXF file rather than replacing it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'strata-xml-'));
    const file = join(directory, 'bad.gexf');
    writeFileSync(file, Buffer.concat([Buffer.from('<gexf><graph><nodes><node id="a" label="'), Buffer.from([0xc3, 0x28]), Buffer.from('"/></nodes></graph></gexf>')]));
    expect(refusal(() => resolveTwin(file)).message).toBe('expected UTF-8 text, got invalid UTF-8 bytes');
    const utf16 = join(directory, 'utf16.graphml');
    writeFileSync(utf16, Buffer.from('\ufeff<graphml/>', 'utf16le'));
    expect(refusal(() => resolveTwin(utf16)).message).toBe('expected UTF-8 text, got invalid UTF-8 bytes');
  });
});

/** The twins a user can name on the command line, but the national one (about 1 GB and minutes to convert; checked by hand). */
const BUILT_IN = Object.keys(BUILTIN_TWINS).filter((name) => name !== 'nhs-england') as (keyof typeof BUILTIN_TWINS)[];
const FORMATS = {
  graphml: (twin: TwinSchema) => readGraphML(writeGraphML(twin), 'twin.graphml'),
  gexf: (twin: TwinSchema) => readGexf(writeGexf(twin), 'twin.gexf'),
};

describe('every field of the twin schema survives GraphML and GEXF', { timeout: 120_000 }, () => {
  it('lists the built-in twins this checks', () => {
    expect(BUILT_IN).toEqual(['ward', 'acute-trust']);
  });

  for (const name of BUILT_IN) {
    const twin = BUILTIN_TWINS[name]();
    for (const [format, roundTrip] of Object.entries(FORMATS)) {
      it(`${name} → ${format} → model hashes alike`, () => {
        const back = roundTrip(twin);
        expect(contentHash(back)).toBe(contentHash(twin));
        expect(back).toStrictEqual(twin);
      });
    }
  }

  /** Every optional field set, and text a graph format could mangle: empty, padded, multi-line, markup, numeric-looking. */
  function everyField(): TwinSchema {
    const input = structuredClone(ward) as TwinInput;
    input.description = '  line one\r\nline two\ttabbed \ufffe ';
    input.generator = { name: 'hand', seed: 7, parameters: { nested: { list: [1, 2.5, 'x'] }, flag: true } };
    input.services![0]!.needs = [{ service: 'pathology', share: 0.25 }];
    input.services![0]!.kind = 'infusion';
    input.services![0]!.workarounds = [{ name: 'paper', kind: 'manual', ceiling: 0.5, after: { dist: 'fixed', minutes: 30 }, rampMinutes: 60, source: 'assumption: test' }];
    const texts = ['', '  padded  ', 'two\nlines', 'cr\rreturn', '<b>&amp;</b> "quoted" \'single\'', '123', 'true', '[1, 2]', '{"json": 1}', 'ünïcødé 🏥'];
    input.nodes.forEach((node, i) => {
      node.name = texts[i % texts.length];
      node.site = 'hospital';
      node.patientsAttached = i % 2 === 0 ? 1.5 : 2;
      node.records = 10_000_000_000;
    });
    const node = input.nodes.find((n) => n.id === 'infusion-pumps')!;
    node.services = [];
    node.requiredFor = ['infusion-therapy'];
    node.criticalFor = [{ service: 'ward-care', share: 0.001 }];
    node.controls = ['edr'];
    node.vulns = [{ cve: 'CVE-2017-0144', cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD', share: 0.5, component: 'pump-firmware', otherRatings: [{ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'vendor' }] }];
    input.edges!.forEach((edge, i) => {
      edge.note = texts[i % texts.length];
      edge.pattern = i % 2 === 0 ? 'spread' : 'all';
      edge.bidirectional = i % 2 === 0;
    });
    return twinFromValue(input, 'every-field.yaml');
  }

  it('carries every field the schema has, each one way', () => {
    expect(Object.keys(GRAPH_FIELDS.node).sort()).toEqual(Object.keys(NodeSchema.shape).sort());
    expect(Object.keys(GRAPH_FIELDS.edge).sort()).toEqual(Object.keys(EdgeSchema.shape).sort());
    expect(Object.keys(GRAPH_FIELDS.twin).sort()).toEqual(Object.keys(TwinSchema.shape).sort());
  });

  it('refuses text XML cannot hold, naming the field, rather than writing it changed', () => {
    const input = structuredClone(ward) as TwinInput;
    input.nodes[3]!.name = 'bell\u0007';
    input.edges![2]!.note = 'half \ud800 a pair';
    const twin = twinFromValue(input, 'bell.yaml');
    for (const write of [() => writeGraphML(twin, 'out.graphml'), () => writeGexf(twin, 'out.gexf')]) {
      try {
        write();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues.map((i) => [i.file.replace(/\.\w+$/, ''), i.path])).toEqual([
          ['out', 'nodes[3].name'],
          ['out', 'edges[2].note'],
        ]);
        expect((error as ValidationError).issues[0]!.message).toMatch(/^expected text (GraphML|GEXF) can hold, got U\+0007 at character 4 .*write YAML or JSON instead$/);
      }
    }
  });

  for (const [format, roundTrip] of Object.entries(FORMATS)) {
    it(`keeps every node, edge, group and twin-level field through ${format}`, () => {
      const twin = everyField();
      expect(roundTrip(twin)).toStrictEqual(twin);
      expect(contentHash(roundTrip(twin))).toBe(contentHash(twin));
    });
  }
});
