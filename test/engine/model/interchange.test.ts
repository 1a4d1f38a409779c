import { describe, expect, it } from 'vitest';
import { readGexf, readGraphML, writeGexf, writeGraphML } from '../../../engine/model/interchange.js';
import { DocumentReadError, ValidationError } from '../../../engine/model/errors.js';
import { loadTwinFile } from '../../../engine/model/load-file.js';

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
});
