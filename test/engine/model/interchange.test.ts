import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readGexf, readGraphML, writeGexf, writeGraphML } from '../../../engine/model/interchange.js';
import { DocumentReadError, ValidationError } from '../../../engine/model/errors.js';
import { loadTwinFile } from '../../../engine/model/load-file.js';
import { resolveTwin } from '../../../scenarios/index.js';

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
      ['<graphml><graph>', /^expected well-formed XML, got Hierarchy request error/],
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
